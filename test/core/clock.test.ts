import { describe, expect, test } from 'vitest';
import { createGuard, defaultCatalogue } from '../../src/index.js';

const consents = [{ purpose: 'marketing.notifications' as const, grantedAt: '2026-01-01T00:00:00Z', expiresAt: '2026-02-01T00:00:00Z' }];
const decideAt = (clock: () => Date | number) => createGuard(defaultCatalogue, { clock }).checkUse('customer', 'marketing.notifications', { consents });

describe("the guard's clock", () => {
  test('may give a Date or epoch milliseconds, with the same answer', () => {
    expect(decideAt(() => new Date('2026-01-15T00:00:00Z')).allowed).toBe(true);
    expect(decideAt(() => Date.parse('2026-01-15T00:00:00Z')).allowed).toBe(true);
    expect(decideAt(() => Date.parse('2026-02-01T00:00:00Z')).reason).toBe('consent_expired');
  });

  test.each([
    ['NaN', () => Number.NaN],
    ['Infinity', () => Number.POSITIVE_INFINITY],
    ['an Invalid Date', () => new Date('nope')],
    ['a throw', () => { throw new Error('clock down'); }],
  ])('a clock giving %s makes time-dependent decisions invalid_context, never allowed', (_, clock) => {
    expect(decideAt(clock as () => number)).toMatchObject({ allowed: false, reason: 'invalid_context', field: 'now' });
  });

  test('is not read when no rule needs the time', () => {
    let reads = 0;
    const guard = createGuard(defaultCatalogue, {
      clock: () => {
        reads++;
        return Date.now();
      },
    });
    guard.checkUse('customer', 'billing', { dataCategories: ['payment'] });
    expect(reads).toBe(0);
  });
});
