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
 * - A record graph keeps its shape: an input reached twice under the same map (a record shared by two
 *   fields, or a cycle such as an ORM back-reference under a recursive map) is copied once, so a shared
 *   record stays shared and a cycle stays a cycle in the output. Any depth: it does not recurse.
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

/** The copies made so far in one call, per field map and input: the same input under the same map is copied once. */
type Copies = Map<FieldCategories, Map<object, object>>;

/** A copy made but not yet filled: `into` receives what `from` keeps under `map`. */
interface Pending {
  readonly from: object;
  readonly map: FieldCategories;
  readonly into: Record<string, unknown> | unknown[];
}

/**
 * Without recursion: a record graph with a cycle (an ORM back-reference,
 * `boss.reports[0].manager === boss`) under a recursive map becomes the same
 * cycle in the output, and a deep chain of records cannot overflow the stack
 * after the repository method has run.
 */
function apply(value: unknown, map: FieldCategories, permitted: ReadonlySet<string>): unknown {
  const copies: Copies = new Map();
  const pending: Pending[] = [];
  const out = copyOf(value, map, copies, pending);
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) fill(next, permitted, copies, pending);
  return out;
}

/**
 * What `value` becomes under `map`: `null` and `undefined` as they are, an
 * array or a record a new, empty copy (filled later from `pending`), anything
 * else `MISMATCH`. An input reached again under the same map (a cycle, or a
 * record shared by two fields) gets the copy it already has, so a cycle stays
 * a cycle and a shared record stays shared; under another map it is another copy.
 */
function copyOf(value: unknown, map: FieldCategories, copies: Copies, pending: Pending[]): unknown {
  if (value === null || value === undefined) return value;
  const array = Array.isArray(value);
  if (!array && !isRecord(value)) return MISMATCH;
  let byInput = copies.get(map);
  if (byInput === undefined) {
    byInput = new Map();
    copies.set(map, byInput);
  }
  const done = byInput.get(value as object);
  if (done !== undefined) return done;
  const into: Record<string, unknown> | unknown[] = array ? [] : {};
  byInput.set(value as object, into);
  pending.push({ from: value as object, map, into });
  return into;
}

function fill({ from, map, into }: Pending, permitted: ReadonlySet<string>, copies: Copies, pending: Pending[]): void {
  if (Array.isArray(into)) {
    for (const item of from as readonly unknown[]) {
      const kept = copyOf(item, map, copies, pending);
      if (kept !== MISMATCH) into.push(kept);
    }
    return;
  }
  for (const key of Object.keys(map)) {
    if (!Object.hasOwn(from, key)) continue;
    const rule = map[key];
    if (rule === undefined) continue;
    const field = (from as Record<string, unknown>)[key];
    if (typeof rule === 'string') {
      if (permitted.has(rule)) into[key] = field;
    } else if (Array.isArray(rule)) {
      if (rule.length > 0 && rule.every((c) => permitted.has(c))) into[key] = field;
    } else {
      const kept = copyOf(field, rule as FieldCategories, copies, pending);
      if (kept !== MISMATCH) into[key] = kept;
    }
  }
}

/** Plain objects and class instances are records; dates, maps, buffers and the like are values. */
function isRecord(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  return !(value instanceof Date || value instanceof Map || value instanceof Set || ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof RegExp);
}
