import { describe, expect, test } from 'vitest';
import { createGuard, defaultCatalogue, type FieldCategories } from '../../src/index.js';
import { frozenFieldMap } from '../../src/minimise/categories.js';
import { minimise } from '../../src/minimise/index.js';

const guard = createGuard(defaultCatalogue);
const support = guard.assertUse('customer', 'customer-support');

describe('minimise over a frozen field map (a guarded repository keeps one)', () => {
  const map = { name: 'identity', card: { last4: 'payment', holder: 'identity' }, notes: ['inquiry', 'identity'] } as const;
  const row = { name: 'Aiko', card: { last4: '4242', holder: 'Aiko' }, notes: 'called', extra: 1 };

  test('gives what the caller\'s own map gives', () => {
    expect(minimise(row, frozenFieldMap(map, 'fields'), support, guard.catalogue)).toEqual(minimise(row, map, support, guard.catalogue));
    expect(minimise(row, frozenFieldMap(map, 'fields'), support, guard.catalogue)).toEqual({ name: 'Aiko', card: { holder: 'Aiko' }, notes: 'called' });
  });

  test('a __proto__ column stays a field of the copy, on both paths, and never becomes its prototype', () => {
    const parsed = JSON.parse('{"name":"Aiko","__proto__":{"polluted":true}}') as object;
    const ownMap = JSON.parse('{"name":"identity","__proto__":"identity"}') as FieldCategories;
    for (const m of [ownMap, frozenFieldMap(ownMap, 'fields')]) {
      const out = minimise(parsed, m, support, guard.catalogue) as Record<string, unknown>;
      expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
      expect(Object.hasOwn(out, '__proto__')).toBe(true);
      expect((out as { polluted?: unknown }).polluted).toBeUndefined();
    }
  });

  test('a frozen map that refers to itself still copies a cyclic record without overflowing', () => {
    const recursive: Record<string, unknown> = { name: 'identity' };
    recursive['manager'] = recursive;
    Object.freeze(recursive);
    const boss: Record<string, unknown> = { name: 'Boss' };
    boss['manager'] = boss;
    const out = minimise(boss, recursive as FieldCategories, support, guard.catalogue) as Record<string, unknown>;
    expect(out['name']).toBe('Boss');
    expect(out['manager']).toBe(out);
  });
});
