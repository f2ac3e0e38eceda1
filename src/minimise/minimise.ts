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
  const out = isFrozenTree(fieldCategories) ? applyTree(record, fieldCategories, permitted) : apply(record, fieldCategories, permitted);
  if (out === MISMATCH) throw new TypeError('minimise: expected a record, an array of records, null or undefined');
  return out as T;
}

/** Field maps known to be frozen all the way down and not to refer to themselves (a wrapper's copy, see `frozenFieldMap`). */
const frozenTrees = new WeakSet<object>();

/**
 * Whether `map` is frozen all the way down and no map in it refers back to
 * itself: then no record, cyclic or not, can take a copy deeper than the map
 * (a list nested in a list can, and goes to the graph copy), and the plain
 * recursive copy (no bookkeeping of what was copied) is safe.
 * Known only for frozen maps, which cannot change after the answer is kept.
 */
function isFrozenTree(map: FieldCategories): boolean {
  if (frozenTrees.has(map)) return true;
  if (!Object.isFrozen(map) || !frozenAcyclic(map, [])) return false;
  frozenTrees.add(map);
  return true;
}

function frozenAcyclic(map: FieldCategories, path: object[]): boolean {
  if (!Object.isFrozen(map) || path.includes(map)) return false;
  path.push(map);
  for (const key of Object.keys(map)) {
    const rule = map[key];
    if (rule !== null && typeof rule === 'object' && !Array.isArray(rule) && !frozenAcyclic(rule as FieldCategories, path)) return false;
  }
  path.pop();
  return true;
}

/** The copy under a map that cannot recur (`isFrozenTree`): as deep as the map at most, so recursion is safe, and nothing is tracked. */
function applyTree(value: unknown, map: FieldCategories, permitted: ReadonlySet<string>): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      // A list in a list goes as deep as the data, not the map (and may contain itself): the graph copy takes it.
      const kept = Array.isArray(item) ? apply(item, map, permitted) : applyTree(item, map, permitted);
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
    if (typeof rule !== 'object' || Array.isArray(rule)) {
      if (keeps(rule, permitted)) put(out, key, field);
    } else {
      const kept = applyTree(field, rule as FieldCategories, permitted);
      if (kept !== MISMATCH) put(out, key, kept);
    }
  }
  return out;
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
    if (typeof rule !== 'object' || Array.isArray(rule)) {
      if (keeps(rule, permitted)) put(into, key, field);
    } else {
      const kept = copyOf(field, rule as FieldCategories, copies, pending);
      if (kept !== MISMATCH) put(into, key, kept);
    }
  }
}

/** Whether a field mapped to this category, or to all of these, may be kept: every one permitted (an empty list keeps nothing). */
function keeps(rule: string | readonly string[], permitted: ReadonlySet<string>): boolean {
  if (typeof rule === 'string') return permitted.has(rule);
  return rule.length > 0 && rule.every((c) => permitted.has(c));
}

/** Sets a kept field: defined for `__proto__` (a column of that name must stay a field, not become the copy's prototype). */
function put(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/** Plain objects and class instances are records; dates, maps, buffers and the like are values. */
function isRecord(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  return !(value instanceof Date || value instanceof Map || value instanceof Set || ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof RegExp);
}
