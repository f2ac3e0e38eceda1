import { defaultCatalogue } from '../catalogue/default.js';
import type { Catalogue } from '../catalogue/types.js';
import { PurposeViolationError } from '../decision/error.js';
import type { Decision } from '../decision/types.js';
import { permittedDataCategories } from './permitted.js';
import type { FieldCategories } from './types.js';

/** Where a field map applies: `null`/`undefined` pass, arrays map, anything else that is not a record is a mismatch. */
const MISMATCH = Symbol('mismatch');

/**
 * Reduces a record (or an array of records) to the fields whose data
 * categories the decision's purpose may touch (the purpose's `dataCategories`
 * in the catalogue, inherited from its nearest ancestor). Pure: returns new
 * objects and never mutates its input.
 *
 * - Fields not named in `fieldCategories` are dropped (fail closed).
 * - A field mapped to several categories is kept only if every one is permitted.
 * - Nested maps apply to nested records and arrays of them; `null` and `undefined` stay as they are.
 * - A value where the map expects a record (a string where `address: {...}` is mapped) is dropped;
 *   at the top level it throws a `TypeError`, as it is a mistake in the map, not data.
 * - A deny decision throws `PurposeViolationError`: there is nothing to minimise to.
 * - A `monitored` decision (monitor mode) returns the record unchanged: monitor mode never changes what code receives.
 *
 * The decision names only the purpose, so `minimise` needs the catalogue it was
 * taken under: pass `guard.catalogue`. It defaults to `defaultCatalogue`, like
 * the top-level `checkUse`; a purpose the catalogue does not declare keeps nothing.
 *
 * @example
 * const d = guard.assertUse('customer', 'customer-support');
 * minimise({ name: 'Aiko', email: 'a@example.jp', cardLast4: '4242' }, { name: 'identity', email: 'contact', cardLast4: 'payment' }, d, guard.catalogue);
 * // { name: 'Aiko', email: 'a@example.jp' }
 */
export function minimise<T>(record: T, fieldCategories: FieldCategories, decision: Decision, catalogue: Catalogue = defaultCatalogue): T {
  if (!decision.allowed) throw new PurposeViolationError(decision);
  if (decision.reason === 'monitored') return record;
  const permitted = permittedDataCategories(catalogue, decision.purpose);
  const out = apply(record, fieldCategories, permitted);
  if (out === MISMATCH) throw new TypeError('minimise: expected a record, an array of records, null or undefined');
  return out as T;
}

function apply(value: unknown, map: FieldCategories, permitted: ReadonlySet<string>): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      const kept = apply(item, map, permitted);
      if (kept !== MISMATCH) out.push(kept);
    }
    return out;
  }
  if (!isRecord(value)) return MISMATCH;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(map)) {
    if (!Object.hasOwn(value, key)) continue;
    const rule = map[key];
    if (rule === undefined) continue;
    const field = (value as Record<string, unknown>)[key];
    if (typeof rule === 'string') {
      if (permitted.has(rule)) out[key] = field;
    } else if (Array.isArray(rule)) {
      if (rule.length > 0 && rule.every((c) => permitted.has(c))) out[key] = field;
    } else {
      const kept = apply(field, rule as FieldCategories, permitted);
      if (kept !== MISMATCH) out[key] = kept;
    }
  }
  return out;
}

/** Plain objects and class instances are records; dates, maps, buffers and the like are values. */
function isRecord(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  return !(value instanceof Date || value instanceof Map || value instanceof Set || ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof RegExp);
}
