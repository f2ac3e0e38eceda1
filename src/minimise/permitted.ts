import type { Catalogue } from '../catalogue/types.js';

const cache = new WeakMap<Catalogue, Map<string, ReadonlySet<string>>>();
const NONE: ReadonlySet<string> = new Set();

/**
 * The data categories a purpose may touch: its own `dataCategories`, or its
 * nearest ancestor's (the catalogue's inheritance rule). An undeclared purpose
 * may touch nothing. Computed once per catalogue and purpose.
 *
 * @example
 * permittedDataCategories(defaultCatalogue, 'customer-support').has('payment'); // false
 */
export function permittedDataCategories(catalogue: Catalogue, purpose: string): ReadonlySet<string> {
  let byPurpose = cache.get(catalogue);
  if (byPurpose === undefined) {
    byPurpose = new Map();
    cache.set(catalogue, byPurpose);
  }
  const hit = byPurpose.get(purpose);
  if (hit !== undefined) return hit;
  const purposes = catalogue.purposes;
  if (typeof purpose !== 'string' || !Object.hasOwn(purposes, purpose)) return NONE;
  let id: string | undefined = purpose;
  let found: readonly string[] | undefined;
  while (id !== undefined && found === undefined) {
    // Own fields only: a purpose without its own list must not take one planted on Object.prototype (cached for good).
    const spec = Object.hasOwn(purposes, id) ? purposes[id] : undefined;
    found = spec !== undefined && Object.hasOwn(spec, 'dataCategories') ? spec.dataCategories : undefined;
    const dot = id.lastIndexOf('.');
    id = dot < 0 ? undefined : id.slice(0, dot);
  }
  const set: ReadonlySet<string> = new Set(found ?? []);
  byPurpose.set(purpose, set);
  return set;
}
