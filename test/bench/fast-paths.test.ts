import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { iso } from '../../src/guard/decide.js';

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
});
