import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { iso } from '../../src/rules/iso.js';
import { createGuard, defaultCatalogue, parseCatalogue } from '../../src/index.js';

// The hot path replaces runtime calls with hand-written equivalents for speed; each must equal what it replaces.
describe('iso (the hot path’s toISOString)', () => {
  test('equals Date#toISOString for every representable instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => {
        expect(iso(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 20_000 },
    );
  });

  test('equals Date#toISOString for every instant of the years 0000-9999 (the table path)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), (ms) => {
        expect(iso(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 50_000 },
    );
  });

  test('equals it at the edges of the four-digit years, of days and of leap years', () => {
    const edges = [0, -1, 1, -62_162_035_200_000, -62_162_035_200_001, 951_782_400_000, 951_868_799_999, -62_167_219_200_000, -62_167_219_200_001, 253_402_300_799_999, 253_402_300_800_000, 4_107_542_399_999, 8.64e15, -8.64e15];
    for (const ms of edges) expect(iso(ms)).toBe(new Date(ms).toISOString());
  });

  test('days that share a slot of the day cache (1,024 apart) evict each other and never answer for each other', () => {
    const day = 86_400_000;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_000_000 }), fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: day - 1 }), (base, steps, time) => {
        for (const k of steps) {
          const ms = (base + k * 1024 - 719_468) * day + time;
          expect(iso(ms)).toBe(new Date(ms).toISOString());
        }
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('the data-category rule (bits for the first 30 categories, a map for the rest)', () => {
  // 40 categories so both paths run; every 7th is special-care; purpose pN may touch categories N..N+9 (mod 40).
  const ids = Array.from({ length: 40 }, (_, i) => `cat-${i}`);
  const allowedFor = (n: number): string[] => Array.from({ length: 10 }, (_, k) => ids[(n + k) % 40] as string);
  const catalogue = parseCatalogue({
    version: 'categories-40',
    controller: { name: 'Test' },
    dataCategories: Object.fromEntries(ids.map((c, i) => [c, { title: c, ...(i % 7 === 3 ? { specialCare: true } : {}) }])),
    purposes: {
      ...Object.fromEntries(Array.from({ length: 40 }, (_, n) => [`p${n}`, { title: `P${n}`, basis: 'contract', dataCategories: allowedFor(n) }])),
      // A child inherits its parent's list (and shares its compiled form).
      'p35.child': { title: 'Child', basis: 'contract' },
    },
    subjects: { s: { title: 'S', purposes: Object.fromEntries([...Array.from({ length: 40 }, (_, n) => `p${n}`), 'p35.child'].map((p) => [p, p])) } },
  });
  const guard = createGuard(catalogue, { clock: () => new Date('2026-06-01T00:00:00Z') });
  const consent = [{ purpose: 'p0', grantedAt: '2026-01-01T00:00:00Z' }];

  test('checkUse agrees with the rule written plainly, for every purpose and every category, with and without consent', () => {
    for (const purpose of [...Array.from({ length: 40 }, (_, n) => `p${n}`), 'p35.child']) {
      const n = Number(/^p(\d+)/.exec(purpose)?.[1]);
      for (const cat of [...ids, 'undeclared']) {
        for (const withConsent of [false, true]) {
          const index = ids.indexOf(cat);
          const permitted = allowedFor(n).includes(cat);
          const special = index >= 0 && index % 7 === 3;
          const d = guard.checkUse('s', purpose, { dataCategories: [cat], consents: withConsent ? [{ ...consent[0]!, purpose }] : [] });
          const expected = !permitted ? 'data_category_not_permitted' : special && !withConsent ? 'consent_required' : 'permitted';
          expect(d.reason, `${purpose} / ${cat} / consent ${withConsent}`).toBe(expected);
        }
      }
    }
  });
});

describe('denies for undeclared ids (kept per guard, bounded)', () => {
  const ids = Array.from({ length: 700 }, (_, i) => `unknown-${i}`);

  test('are the decisions a fresh guard would give, however many distinct ids went through', () => {
    const guard = createGuard(defaultCatalogue);
    for (let round = 0; round < 2; round++) {
      for (const id of ids) {
        expect(guard.checkUse(id, 'billing')).toEqual(createGuard(defaultCatalogue).checkUse(id, 'billing'));
        expect(guard.checkUse('customer', id)).toEqual(createGuard(defaultCatalogue).checkUse('customer', id));
      }
    }
  });

  test('are never shared between guards over different catalogues', () => {
    const other = parseCatalogue({ ...structuredClone(defaultCatalogue), version: 'another-version' });
    const a = createGuard(defaultCatalogue).checkUse('vendor' as string, 'billing');
    const b = createGuard(other).checkUse('vendor' as string, 'billing');
    expect(a.reason).toBe('unknown_subject');
    expect(b.message).toContain('another-version');
    expect(a.message).not.toContain('another-version');
  });

  test('long ids are not kept, and still deny with the same decision', () => {
    const guard = createGuard(defaultCatalogue);
    const long = 'x'.repeat(10_000);
    expect(guard.checkUse(long, 'billing')).toEqual(guard.checkUse(long, 'billing'));
    expect(guard.checkUse(long, 'billing').reason).toBe('unknown_subject');
  });
});
