import type { FieldCategories } from './types.js';

/**
 * Every data category a field map mentions, nested maps included: what a
 * result mapped this way can disclose. A recursive map (a `manager` field
 * mapped by the map it is in, for recursive records) is read once per nested
 * map: `minimise` follows such a map only as deep as the record goes, so the
 * union of its maps' categories is what it can disclose.
 *
 * @example
 * fieldMapCategories({ name: 'identity', card: { last4: 'payment' } }); // Set { 'identity', 'payment' }
 */
export function fieldMapCategories(map: FieldCategories, into: Set<string> = new Set<string>()): Set<string> {
  collect(map, into, new Set<object>());
  return into;
}

function collect(map: FieldCategories, into: Set<string>, seen: Set<object>): void {
  // A map already read adds nothing: without this a cycle would recurse until the stack overflows.
  if (seen.has(map)) return;
  seen.add(map);
  for (const key of Object.keys(map)) {
    const rule = map[key];
    if (typeof rule === 'string') into.add(rule);
    else if (Array.isArray(rule)) for (const c of rule) into.add(c);
    else if (rule !== undefined) collect(rule as FieldCategories, into, seen);
  }
}

/**
 * A deep, frozen copy of a field map, checked: what a wrapper keeps when it
 * checks disclosure once, at wrap time, against the categories the map names.
 * Keeping the caller's map would let a field added to it later be returned
 * without that check. Own enumerable fields only, as `minimise` reads them; a
 * recursive or shared map stays recursive or shared in the copy. A value that
 * is not a category, a list of categories, a nested map or `undefined` (which
 * `minimise` skips, so the copy leaves it out) is a `TypeError`.
 *
 * @example
 * const fields = frozenFieldMap({ name: 'identity', card: { last4: 'payment' } }, 'fields');
 * Object.isFrozen(fields.card); // true
 */
export function frozenFieldMap(map: FieldCategories, label: string): FieldCategories {
  return copy(map, label, new Map<object, FieldCategories>());
}

function copy(map: FieldCategories, path: string, copies: Map<object, FieldCategories>): FieldCategories {
  const done = copies.get(map);
  if (done !== undefined) return done;
  // An ordinary object (V8 keeps one made by Object.create(null) in slow, dictionary mode, and minimise reads the map on
  // every call); its fields are defined, not assigned, so a `__proto__` column stays a field, and every reader takes
  // its keys from Object.keys, so nothing inherited is read.
  const out = {} as Record<string, FieldCategories[string]>;
  copies.set(map, out);
  const define = (key: string, value: FieldCategories[string]): void => {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  };
  for (const key of Object.keys(map)) {
    const rule: unknown = map[key];
    const at = `${path}.${key}`;
    if (rule === undefined) continue;
    if (typeof rule === 'string') define(key, rule);
    else if (Array.isArray(rule)) {
      if (!rule.every((c) => typeof c === 'string')) throw new TypeError(`${at} must list data category ids (strings)`);
      define(key, Object.freeze([...(rule as string[])]));
    } else if (rule !== null && typeof rule === 'object') define(key, copy(rule as FieldCategories, at, copies));
    else throw new TypeError(`${at} must be a data category, a list of them or a nested field map`);
  }
  return Object.freeze(out);
}
