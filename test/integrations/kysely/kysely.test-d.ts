import { expectTypeOf, test } from 'vitest';
import { type AnyGuard, type CatalogueSpec, createGuard, type DefaultCatalogue, defaultCatalogue } from '../../../src/index.js';
import { PurposeGuardPlugin } from '../../../src/integrations/kysely/index.js';

const guard = createGuard(defaultCatalogue);

test('a Guard<C> types the tables with its catalogue', () => {
  const plugin = new PurposeGuardPlugin({ guard, tables: { customers: { subject: 'customer', columns: { id: 'account', email: 'contact' }, purpose: 'billing' } } });
  expectTypeOf(plugin).toEqualTypeOf<PurposeGuardPlugin<DefaultCatalogue>>();
});

test('an AnyGuard is accepted (the tables are then checked at run time only)', () => {
  const anyGuard: AnyGuard = guard;
  const plugin = new PurposeGuardPlugin({ guard: anyGuard, tables: { customers: { subject: 'customer', columns: { id: 'account' }, purpose: 'billing' } } });
  expectTypeOf(plugin).toEqualTypeOf<PurposeGuardPlugin<CatalogueSpec>>();
});
