import { expectTypeOf, test } from 'vitest';
import { InvoiceRepository } from '../../examples/grants.js';
import { createGuard, defaultCatalogue, type UseGrant } from '../../src/index.js';

const guard = createGuard(defaultCatalogue);

test('InvoiceRepository.listFor requires a billing grant for customer data', () => {
  const repo = new InvoiceRepository();
  expectTypeOf(repo.listFor).parameter(0).toEqualTypeOf<UseGrant<'customer', 'billing'>>();
  repo.listFor(guard.assertUse('customer', 'billing'), 'cus-001');
  // @ts-expect-error -- a customer-support grant is not a billing grant
  repo.listFor(guard.assertUse('customer', 'customer-support'), 'cus-001');
  // @ts-expect-error -- a decision is not a grant
  repo.listFor(guard.checkUse('customer', 'billing'), 'cus-001');
});
