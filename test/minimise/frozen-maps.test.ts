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

  test('lists nested in lists, however deep or self-containing, are copied as over the caller\'s map, without overflowing', () => {
    const tagMap = { name: 'identity', tags: { label: 'identity' } } as const;
    const frozen = frozenFieldMap(tagMap, 'fields');
    let deep: unknown = [{ label: 'x', secret: 1 }];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const selfContaining: unknown[] = [{ label: 'y' }];
    selfContaining.push(selfContaining);
    for (const tags of [deep, selfContaining]) {
      const row = { name: 'Aiko', tags };
      expect(() => minimise(row, frozen, support, guard.catalogue)).not.toThrow();
    }
    const out = minimise({ name: 'Aiko', tags: selfContaining }, frozen, support, guard.catalogue) as { tags: unknown[] };
    expect(out.tags[0]).toEqual({ label: 'y' });
    const inner = out.tags[1] as unknown[];
    expect(inner[1]).toBe(inner);
    expect(minimise({ name: 'Aiko', tags: [[{ label: 'z', secret: 2 }]] }, frozen, support, guard.catalogue)).toEqual({ name: 'Aiko', tags: [[{ label: 'z' }]] });
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
