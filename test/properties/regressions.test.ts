/**
 * Each bug the property suites found, as a plain example, so it stays fixed
 * even if the generators change. The seed that found it is named in the test.
 */
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { CatalogueError, contextSchemaFor, createGuard, defaultCatalogue, parseCatalogue } from '../../src/index.js';
import { toEpochMs } from '../../src/rules/dates.js';
import { loose } from './helpers.js';

const guard = loose(createGuard(defaultCatalogue, { clock: () => new Date(Date.UTC(2026, 0, 1)) }));

function revoked(): object {
  const r = Proxy.revocable({}, {});
  r.revoke();
  return r.proxy;
}

describe('regressions found by the property suites', () => {
  it('a revoked Proxy as subject or purpose is invalid_input, not a TypeError (totality, seed 1001)', () => {
    expect(guard.checkUse(revoked(), 'billing').reason).toBe('invalid_input');
    expect(guard.checkUse('customer', revoked()).reason).toBe('invalid_input');
    expect(guard.checkUse('customer', revoked()).message).toContain('unreadable');
    expect(() => guard.assertUse(revoked(), 'billing')).toThrow(/invalid_input|id string/);
  });

  it('a hostile Proxy inside a catalogue is a CatalogueError, not the Proxy\'s own error (totality, seed 1004)', () => {
    const boom = (): never => {
      throw new Error('boom');
    };
    const hostile = new Proxy({}, { get: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom, getPrototypeOf: boom });
    const spec = { version: 'g', controller: { name: 'x', academicResearchInstitution: hostile }, dataCategories: {}, purposes: {}, subjects: {} };
    expect(() => parseCatalogue(spec)).toThrow(CatalogueError);
  });

  it('an unknown context field holding undefined is invalid_context, as the zod schema says (context-schema, seed 2001)', () => {
    const ctx = { now: '2026-01-01T00:00:00Z', consent: undefined };
    expect(contextSchemaFor(defaultCatalogue).safeParse(ctx).success).toBe(false);
    const d = guard.checkUse('customer', 'billing', ctx);
    expect(d.reason).toBe('invalid_context');
    expect(d.allowed ? undefined : d.field).toBe('context["consent"]');
    // Known fields may still hold undefined.
    expect(guard.checkUse('customer', 'billing', { now: undefined, consents: undefined }).reason).toBe('permitted');
  });

  it('a Date from another realm is a date for both checkUse and contextSchemaFor (context-schema, seed 2001)', () => {
    const foreign = runInNewContext('new Date(Date.UTC(2026, 0, 1))') as unknown;
    expect(foreign instanceof Date).toBe(false);
    expect(contextSchemaFor(defaultCatalogue).safeParse({ now: foreign }).success).toBe(true);
    expect(guard.checkUse('customer', 'billing', { now: foreign }).reason).toBe('permitted');
    // And an object that only pretends to be a Date is refused by both.
    const fake = Object.assign(new Date(Number.NaN), { getTime: () => 0 });
    expect(contextSchemaFor(defaultCatalogue).safeParse({ now: fake }).success).toBe(false);
    expect(guard.checkUse('customer', 'billing', { now: fake }).reason).toBe('invalid_context');
  });

  it('fractions of a second are read to the millisecond, near 1970 and before it (dates, seed 3001)', () => {
    expect(toEpochMs('1970-01-01T00:00:01.001Z')).toBe(1001);
    expect(toEpochMs('1970-01-01T00:00:00.291Z')).toBe(291);
    expect(toEpochMs('1969-12-31T23:59:59.9995Z')).toBe(-1);
    expect(toEpochMs('0000-01-01T00:00:00.0008+00:00')).toBe(Date.UTC(2000, 0, 1) - 2000 * 365.2425 * 86_400_000);
    expect(toEpochMs('2026-01-01T00:00:00.5+09:00')).toBe(Date.UTC(2025, 11, 31, 15, 0, 0, 500));
    // A consent granted at 00:00:01.001 is not yet valid at 00:00:01.000.
    const d = guard.checkUse('customer', 'marketing.notifications', {
      now: '1970-01-01T00:00:01.000Z',
      consents: [{ purpose: 'marketing.notifications', grantedAt: '1970-01-01T00:00:01.001Z' }],
    });
    expect(d.reason).toBe('consent_not_yet_valid');
  });
});
