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
