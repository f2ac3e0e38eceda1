import { expectTypeOf, test } from 'vitest';
import { type AnyGuard, createGuard, defaultCatalogue } from '../../../src/index.js';
import { purposeGuardExtension, type PurposeGuardPrismaExtension } from '../../../src/integrations/prisma/index.js';

const guard = createGuard(defaultCatalogue);

test('models are checked against the catalogue', () => {
  expectTypeOf(purposeGuardExtension({ guard, models: { Customer: { subject: 'customer', fields: { id: 'account' } } } })).toEqualTypeOf<PurposeGuardPrismaExtension>();
  // @ts-expect-error -- unknown subject category
  purposeGuardExtension({ guard, models: { Customer: { subject: 'martian', fields: {} } } });
  // @ts-expect-error -- undeclared data category
  purposeGuardExtension({ guard, models: { Customer: { subject: 'customer', fields: { id: 'dna' } } } });
  // @ts-expect-error -- customers' data may not be fixed to an employee purpose
  purposeGuardExtension({ guard, models: { Customer: { subject: 'customer', fields: {}, purpose: 'employment.administration' } } });
});

test('an AnyGuard is accepted (the models are then checked at run time only)', () => {
  const anyGuard: AnyGuard = guard;
  expectTypeOf(purposeGuardExtension({ guard: anyGuard, models: { Customer: { subject: 'customer', fields: { id: 'account' }, purpose: 'billing' } } })).toEqualTypeOf<PurposeGuardPrismaExtension>();
});
