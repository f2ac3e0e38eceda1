import { expect, test } from 'vitest';
import { createGuard, defaultCatalogue } from '../../src/index.js';

test('permittedPurposes reads the clock once, so one answer is about one instant', () => {
  let reads = 0;
  const guard = createGuard(defaultCatalogue, {
    clock: () => {
      reads++;
      // each read a millisecond later: with one read per purpose, consents expiring now would flicker
      return new Date(Date.parse('2026-06-01T00:00:00Z') + reads - 1);
    },
  });
  const consents = [
    { purpose: 'marketing.notifications' as const, grantedAt: '2026-01-01T00:00:00Z', expiresAt: '2026-06-01T00:00:00.001Z' },
    { purpose: 'website-convenience' as const, grantedAt: '2026-01-01T00:00:00Z', expiresAt: '2026-06-01T00:00:00.001Z' },
  ];
  expect(guard.permittedPurposes('customer', { consents })).toContain('website-convenience');
  expect(reads).toBe(1);
});

test('permittedPurposes agrees with checkUse for every subject', () => {
  const guard = createGuard(defaultCatalogue);
  for (const subject of Object.keys(defaultCatalogue.subjects)) {
    const expected = Object.keys(defaultCatalogue.purposes).filter((p) => (guard.checkUse as (s: string, p: string) => { allowed: boolean })(subject, p).allowed);
    expect(guard.permittedPurposes(subject as 'customer')).toEqual(expected);
  }
});

test('permittedPurposes reads the context once, so a getter answers once for the whole list', () => {
  const guard = createGuard(defaultCatalogue, { clock: () => new Date('2026-06-01T00:00:00Z') });
  let reads = 0;
  const context = {
    get objections() {
      reads++;
      // Only the first answer holds an objection: read once per purpose, the later purposes would escape it.
      return reads === 1 ? [{ purpose: 'marketing', at: '2026-01-01T00:00:00Z' }] : [];
    },
  };
  const permitted = guard.permittedPurposes('customer', context);
  expect(reads).toBe(1);
  expect(permitted.filter((p) => p.startsWith('marketing'))).toEqual([]);
  expect(permitted).toEqual(guard.permittedPurposes('customer', { objections: [{ purpose: 'marketing', at: '2026-01-01T00:00:00Z' }] }));
});
