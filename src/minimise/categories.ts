import type { FieldCategories } from './types.js';

/**
 * Every data category a field map mentions, nested maps included: what a
 * result mapped this way can disclose.
 *
 * @example
 * fieldMapCategories({ name: 'identity', card: { last4: 'payment' } }); // Set { 'identity', 'payment' }
 */
export function fieldMapCategories(map: FieldCategories, into: Set<string> = new Set<string>()): Set<string> {
  for (const key of Object.keys(map)) {
    const rule = map[key];
    if (typeof rule === 'string') into.add(rule);
    else if (Array.isArray(rule)) for (const c of rule) into.add(c);
    else if (rule !== undefined) fieldMapCategories(rule as FieldCategories, into);
  }
  return into;
}
