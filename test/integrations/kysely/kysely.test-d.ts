import { expectTypeOf, test } from 'vitest';
import { type AnyGuard, createGuard, defaultCatalogue } from '../../../src/index.js';
import { PurposeGuardPlugin } from '../../../src/integrations/kysely/index.js';

const guard = createGuard(defaultCatalogue);

test('tables are checked against the catalogue of a Guard<C>', () => {
  new PurposeGuardPlugin({ guard, tables: { customers: { subject: 'customer', columns: { id: 'account', email: 'contact' }, purpose: 'billing' } } });
  // @ts-expect-error -- unknown subject category
  new PurposeGuardPlugin({ guard, tables: { customers: { subject: 'martian', columns: {} } } });
  // @ts-expect-error -- undeclared data category
  new PurposeGuardPlugin({ guard, tables: { customers: { subject: 'customer', columns: { id: 'dna' } } } });
  // @ts-expect-error -- customers' data may not be fixed to an employee purpose
  new PurposeGuardPlugin({ guard, tables: { customers: { subject: 'customer', columns: {}, purpose: 'employment.administration' } } });
});

test('an AnyGuard is accepted (the tables are then checked at run time only)', () => {
  const anyGuard: AnyGuard = guard;
  const plugin = new PurposeGuardPlugin({ guard: anyGuard, tables: { customers: { subject: 'customer', columns: { id: 'account' }, purpose: 'billing' } } });
  expectTypeOf(plugin.transformQuery).toBeFunction();
});
