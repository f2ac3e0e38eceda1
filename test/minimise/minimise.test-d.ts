import { expectTypeOf, test } from 'vitest';
import type { DataCategoryOf, DefaultCatalogue } from '../../src/index.js';
import { minimise, type FieldCategories, type FieldCategoriesFor } from '../../src/minimise/index.js';
import { createGuard, defaultCatalogue } from '../../src/index.js';

interface Customer {
  id: string;
  name: string;
  cardLast4: string | null;
  orders: { id: string; total: number }[];
}
type Category = DataCategoryOf<DefaultCatalogue>;

test('FieldCategoriesFor checks field names and categories against the row type', () => {
  const ok: FieldCategoriesFor<Customer, Category> = { id: 'account', name: 'identity', cardLast4: 'payment', orders: { id: 'transaction', total: ['transaction', 'payment'] } };
  expectTypeOf(ok).toExtend<FieldCategories<Category>>();
  // @ts-expect-error -- misspelt column
  const typo: FieldCategoriesFor<Customer, Category> = { nmae: 'identity' };
  // @ts-expect-error -- undeclared category
  const bad: FieldCategoriesFor<Customer, Category> = { name: 'dna' };
  // @ts-expect-error -- a nested field that does not exist
  const nested: FieldCategoriesFor<Customer, Category> = { orders: { sku: 'transaction' } };
  void [typo, bad, nested];
});

test('minimise returns the record type it was given', () => {
  const d = createGuard(defaultCatalogue).assertUse('customer', 'billing');
  expectTypeOf(minimise({} as Customer, { id: 'account' }, d)).toEqualTypeOf<Customer>();
  expectTypeOf(minimise([] as Customer[], { id: 'account' }, d)).toEqualTypeOf<Customer[]>();
});
