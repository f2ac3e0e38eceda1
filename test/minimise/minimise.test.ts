import { describe, expect, test } from 'vitest';
import { createGuard, defaultCatalogue, defineCatalogue, PurposeViolationError } from '../../src/index.js';
import { minimise, permittedDataCategories } from '../../src/minimise/index.js';

const guard = createGuard(defaultCatalogue);
const support = guard.assertUse('customer', 'customer-support');
const billing = guard.assertUse('customer', 'billing');
const fields = { id: 'account', name: 'identity', email: 'contact', cardLast4: 'payment', note: 'inquiry' } as const;
const row = { id: 'c-1', name: 'Aiko Tanaka', email: 'aiko@example.jp', cardLast4: '4242', note: 'late parcel', internal: 'x' };

describe('minimise', () => {
  test('customer-support never receives payment fields; unmapped fields are dropped', () => {
    expect(minimise(row, fields, support, defaultCatalogue)).toEqual({ id: 'c-1', name: 'Aiko Tanaka', email: 'aiko@example.jp', note: 'late parcel' });
  });

  test('billing keeps payment but not inquiry', () => {
    expect(minimise(row, fields, billing, defaultCatalogue)).toEqual({ id: 'c-1', name: 'Aiko Tanaka', email: 'aiko@example.jp', cardLast4: '4242' });
  });

  test('does not mutate its input and returns a new object', () => {
    const copy = structuredClone(row);
    const out = minimise(row, fields, support, defaultCatalogue);
    expect(row).toEqual(copy);
    expect(out).not.toBe(row);
  });

  test('arrays of records, nested records, arrays inside, null and undefined', () => {
    const map = {
      name: 'identity',
      address: { city: 'contact', geo: 'online-identifiers' },
      orders: { id: 'transaction', card: 'payment' },
      manager: { name: 'identity' },
    } as const;
    const rows = [
      { name: 'A', address: { city: 'Osaka', geo: '1,2' }, orders: [{ id: 'o1', card: '1111' }, { id: 'o2', card: '2222' }], manager: null },
      { name: 'B', address: null, orders: [], manager: undefined },
    ];
    expect(minimise(rows, map, support, defaultCatalogue)).toEqual([
      { name: 'A', address: { city: 'Osaka' }, orders: [{ id: 'o1' }, { id: 'o2' }], manager: null },
      { name: 'B', address: null, orders: [], manager: undefined },
    ]);
    expect(minimise(null, map, support, defaultCatalogue)).toBeNull();
    expect(minimise(undefined, map, support, defaultCatalogue)).toBeUndefined();
  });

  test('a field with several categories is kept only if all are permitted; an empty list keeps nothing', () => {
    const map = { total: ['transaction', 'payment'], empty: [] } as const;
    expect(minimise({ total: 10, empty: 1 }, map, billing, defaultCatalogue)).toEqual({ total: 10 });
    expect(minimise({ total: 10, empty: 1 }, map, support, defaultCatalogue)).toEqual({});
  });

  test('a scalar where the map expects a record is dropped; at the top level it is a TypeError', () => {
    expect(minimise({ address: '1 Main St' }, { address: { city: 'contact' } }, support, defaultCatalogue)).toEqual({});
    expect(minimise({ address: new Date(0) }, { address: { city: 'contact' } }, support, defaultCatalogue)).toEqual({});
    expect(() => minimise('aiko@example.jp', fields, support, defaultCatalogue)).toThrow(TypeError);
  });

  test('a leaf keeps its value as is, whatever its type (dates, nested objects)', () => {
    const when = new Date('2026-01-01T00:00:00Z');
    const out = minimise({ name: { first: 'A', last: 'T' }, at: when }, { name: 'identity', at: 'transaction' }, support, defaultCatalogue);
    expect(out).toEqual({ name: { first: 'A', last: 'T' }, at: when });
    expect(out.at).toBe(when);
  });

  test('never reads inherited fields, of the record or of the map', () => {
    const proto = { cardLast4: '4242', name: 'inherited' };
    const rec = Object.create(proto) as Record<string, unknown>;
    rec['id'] = 'c-1';
    expect(minimise(rec, fields, billing, defaultCatalogue)).toEqual({ id: 'c-1' });
    const map = Object.create({ name: 'identity' }) as Record<string, string>;
    expect(minimise({ name: 'A' }, map, billing, defaultCatalogue)).toEqual({});
  });

  test('a deny decision throws PurposeViolationError (nothing to minimise to)', () => {
    const deny = guard.checkUse('employee', 'marketing.analytics' as string);
    expect(() => minimise(row, fields, deny, defaultCatalogue)).toThrow(PurposeViolationError);
  });

  test('a monitored decision (monitor mode) returns the record unchanged', () => {
    const monitor = createGuard(defaultCatalogue, { mode: 'monitor' });
    const d = monitor.checkUse('employee', 'marketing.analytics' as string);
    expect(d.reason).toBe('monitored');
    expect(minimise(row, fields, d, defaultCatalogue)).toBe(row);
  });

  test('children inherit the nearest ancestor data categories; undeclared purposes keep nothing', () => {
    const c = defineCatalogue({
      version: '1',
      controller: { name: 'X' },
      dataCategories: { a: { title: 'A' }, b: { title: 'B' } },
      purposes: { p: { title: 'P', basis: 'contract', dataCategories: ['a'] }, 'p.q': { title: 'Q', basis: 'contract' } },
      subjects: { s: { title: 'S', purposes: { 'p.q': 'text' } } },
    });
    const g = createGuard(c);
    expect([...permittedDataCategories(c, 'p.q')]).toEqual(['a']);
    expect(permittedDataCategories(c, 'nope').size).toBe(0);
    expect(permittedDataCategories(c, '__proto__').size).toBe(0);
    expect(minimise({ x: 1, y: 2 }, { x: 'a', y: 'b' }, g.assertUse('s', 'p.q'), c)).toEqual({ x: 1 });
  });

  test('defaults to the default catalogue, like the top-level checkUse', () => {
    expect(minimise(row, fields, support)).toEqual({ id: 'c-1', name: 'Aiko Tanaka', email: 'aiko@example.jp', note: 'late parcel' });
  });

  test('a purpose without its own list takes none planted on Object.prototype', () => {
    const bare = defineCatalogue({
      version: 'p-1',
      controller: { name: 'P' },
      dataCategories: { contact: { title: 'Contact' }, health: { title: 'Health', specialCare: true } },
      purposes: { support: { title: 'Support', basis: 'contract' } },
      subjects: { member: { title: 'Members', purposes: { support: 's' } } },
    });
    const proto = Object.prototype as Record<string, unknown>;
    proto['dataCategories'] = ['health'];
    let permitted: ReadonlySet<string>;
    try {
      permitted = permittedDataCategories(bare, 'support');
    } finally {
      delete proto['dataCategories'];
    }
    expect([...permitted]).toEqual([]);
  });
});
