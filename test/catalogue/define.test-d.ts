import { describe, expectTypeOf, test } from 'vitest';
import type { CatalogueRefs } from '../../src/index.js';

/** What `defineCatalogue` infers for a subject granting a purpose spelt wrong (`biling`). */
type Spec = {
  version: '1';
  controller: { name: 'X' };
  dataCategories: { contact: { title: 'Contact' } };
  purposes: { billing: { title: 'B'; basis: 'contract' } };
  subjects: { customer: { title: 'C'; purposes: { billing: 'x'; biling: 'typo' } } };
};
type Checked = (Spec & CatalogueRefs<Spec>)['subjects']['customer']['purposes'];

describe('defineCatalogue: an undeclared purpose in a subject', () => {
  test('is an error at that entry, which names it', () => {
    expectTypeOf<Checked['biling']>().toEqualTypeOf<'typo' & { readonly '"biling" is not declared in purposes': true }>();
  });

  test('leaves the declared entries as they are (the record used to reduce to never, blaming every entry)', () => {
    expectTypeOf<Checked>().not.toBeNever();
    expectTypeOf<Checked['billing']>().toEqualTypeOf<'x'>();
  });
});
