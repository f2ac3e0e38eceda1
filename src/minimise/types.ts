/**
 * Which data category each field of a record holds, for `minimise`.
 *
 * - a category id: the field (and everything inside it) is data of that category;
 * - a list of ids: the field holds data of every one of them (kept only if all are permitted);
 * - a nested map: the field is a record (or an array of records, or `null`) whose fields are mapped in turn.
 *
 * Fields the map does not name are dropped: a new column never leaks by default.
 *
 * @example
 * const customerFields = {
 *   id: 'account',
 *   name: 'identity',
 *   email: 'contact',
 *   cardLast4: 'payment',
 *   orders: { id: 'transaction', total: ['transaction', 'payment'] },
 * } satisfies FieldCategories<DataCategoryOf<DefaultCatalogue>>;
 */
export type FieldCategories<D extends string = string> = {
  readonly [field: string]: D | readonly D[] | FieldCategories<D>;
};

/**
 * A field map for a known record type: only the record's own fields may be
 * named, so a typo in a field name is a compile error.
 *
 * @example
 * const fields: FieldCategoriesFor<Customer, 'identity' | 'contact'> = { name: 'identity', email: 'contact' };
 */
export type FieldCategoriesFor<T, D extends string = string> = {
  readonly [K in keyof T & string]?: D | readonly D[] | (NonNullable<T[K]> extends readonly (infer E)[] ? FieldCategoriesFor<E, D> : NonNullable<T[K]> extends object ? FieldCategoriesFor<NonNullable<T[K]>, D> : never);
};
