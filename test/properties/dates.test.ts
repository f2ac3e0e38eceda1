/**
 * Context dates: the parser checkUse uses agrees with an independent RFC 3339
 * reading (field by field, no Date parsing) on any date-time of years 0000-9999,
 * with fractions, offsets and odd-but-valid spellings; and the same instant
 * written with different offsets decides the same.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toEpochMs } from '../../src/rules/dates.js';
import { specMs } from '../reference/decide-spec.js';
import { params, TIMEOUT } from './config.js';

const two = (n: number): string => String(n).padStart(2, '0');

const dateTimeArb = fc
  .record({
    y: fc.integer({ min: 0, max: 9999 }),
    mo: fc.integer({ min: 0, max: 13 }),
    d: fc.integer({ min: 0, max: 32 }),
    h: fc.integer({ min: 0, max: 24 }),
    mi: fc.integer({ min: 0, max: 60 }),
    s: fc.integer({ min: 0, max: 60 }),
    frac: fc.option(fc.stringMatching(/^\d{1,10}$/), { nil: undefined }),
    sep: fc.constantFrom('T', 't', ' '),
    zone: fc.oneof(
      fc.constantFrom('Z', 'z', ''),
      fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 60 })).map(([sg, oh, om]) => `${sg}${two(oh)}:${two(om)}`),
    ),
  })
  .map(({ y, mo, d, h, mi, s, frac, sep, zone }) => `${String(y).padStart(4, '0')}-${two(mo)}-${two(d)}${sep}${two(h)}:${two(mi)}:${two(s)}${frac === undefined ? '' : `.${frac}`}${zone}`);

describe('context dates', () => {
  it('toEpochMs agrees with an independent RFC 3339 reading (valid or not, and to the millisecond)', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(dateTimeArb, (text) => {
        const expected = specMs(text);
        const got = toEpochMs(text);
        expect(Number.isNaN(got) ? undefined : got).toBe(expected);
      }),
      params(3001),
    );
  });

  it('the same instant written with any offset reads the same', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1, 0, 2), max: Date.UTC(9998, 11, 30) }),
        fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
        (ms, offset) => {
          const local = new Date(ms + offset * 60_000);
          const y = local.getUTCFullYear();
          const text = `${String(y).padStart(4, '0')}${local.toISOString().slice(local.toISOString().indexOf('-', 1))}`.slice(0, -1);
          const sign = offset < 0 ? '-' : '+';
          const abs = Math.abs(offset);
          expect(toEpochMs(`${text}${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`)).toBe(ms);
          expect(toEpochMs(new Date(ms))).toBe(ms);
        },
      ),
      params(3002),
    );
  });
});
