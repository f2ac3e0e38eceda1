import { describe, expect, test } from 'vitest';
import { check, NOW } from './fixture.js';

const badDates: [string, unknown][] = [
  ['a date-only string', '2026-06-15'],
  ['a date-time without offset', '2026-06-15T12:00:00'],
  ['an impossible date', '2024-02-30T00:00:00Z'],
  ['hour 24', '2024-02-29T24:00:00Z'],
  ['an offset of 24 hours', '2024-02-29T10:00:00+24:00'],
  ['a leap second', '2016-12-31T23:59:60Z'],
  ['an Invalid Date', new Date('nope')],
  ['a number', Date.parse(NOW)],
  ['null', null],
  ['a week date', '2026-W24-1T12:00:00Z'],
  ['a date-like object', { getTime: () => 0 }],
  ['trailing text', '2026-06-15T12:00:00Z extra'],
];

describe('rule 1: every date must be a Date or an RFC 3339 date-time with an offset', () => {
  test.each(badDates)('now as %s', (_, value) => {
    expect(check('member', 'ads', { now: value })).toMatchObject({ reason: 'invalid_context', field: 'context.now' });
  });

  test.each(badDates)('relationshipEndedAt as %s', (_, value) => {
    expect(check('member', 'ads', { relationshipEndedAt: value })).toMatchObject({ reason: 'invalid_context', field: 'context.relationshipEndedAt' });
  });

  test.each(badDates)('a consent grantedAt as %s', (_, value) => {
    expect(check('member', 'ads', { consents: [{ purpose: 'news', grantedAt: value }] })).toMatchObject({
      reason: 'invalid_context',
      field: 'context.consents[0].grantedAt',
    });
  });

  test.each(badDates.filter(([, v]) => v !== null))('an objection at as %s', (_, value) => {
    expect(check('member', 'ads', { objections: [{ purpose: 'ads', at: value }] })).toMatchObject({
      reason: 'invalid_context',
      field: 'context.objections[0].at',
    });
  });

  test.each([
    ['Z', '2026-06-15T12:00:00Z'],
    ['lower-case z and t', '2026-06-15t12:00:00z'],
    ['a space', '2026-06-15 12:00:00Z'],
    ['an offset', '2026-06-15T21:00:00+09:00'],
    ['a negative offset and fraction', '2026-06-15T08:00:00.000-04:00'],
    ['nanoseconds', '2026-06-15T12:00:00.123456789Z'],
  ])('accepts %s', (_, value) => {
    expect(check('member', 'ads', { now: value }).allowed).toBe(true);
  });

  test('withdrawnAt or expiresAt before grantedAt', () => {
    const c = { purpose: 'news', grantedAt: '2026-01-02T00:00:00Z' };
    expect(check('member', 'ads', { consents: [{ ...c, withdrawnAt: '2026-01-01T23:59:59.999Z' }] })).toMatchObject({
      reason: 'invalid_context',
      field: 'context.consents[0].withdrawnAt',
    });
    expect(check('member', 'ads', { consents: [{ ...c, expiresAt: '2026-01-01T00:00:00Z' }] })).toMatchObject({
      reason: 'invalid_context',
      field: 'context.consents[0].expiresAt',
    });
    expect(check('member', 'news', { consents: [{ ...c, expiresAt: c.grantedAt }] }).reason).toBe('consent_expired');
  });

  test.each([
    ['consents not an array', { consents: { purpose: 'news' } }, 'context.consents'],
    ['a consent without purpose', { consents: [{ grantedAt: NOW }] }, 'context.consents[0].purpose'],
    ['a consent without grantedAt', { consents: [{ purpose: 'news' }] }, 'context.consents[0].grantedAt'],
    ['a consent for an undeclared purpose', { consents: [{ purpose: 'newz', grantedAt: NOW }] }, 'context.consents[0].purpose'],
    ['a consent with an unknown field', { consents: [{ purpose: 'news', grantedAt: NOW, withdrawAt: NOW }] }, 'context.consents[0]["withdrawAt"]'],
    ['a consent id that is a number', { consents: [{ purpose: 'news', grantedAt: NOW, id: 7 }] }, 'context.consents[0].id'],
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point
    ['a sparse consents array', { consents: [, { purpose: 'news', grantedAt: NOW }] }, 'context.consents[0]'],
    ['a consent that is null', { consents: [null] }, 'context.consents[0]'],
    ['dataCategories not an array', { dataCategories: 'contact' }, 'context.dataCategories'],
    ['a data category that is a number', { dataCategories: [1] }, 'context.dataCategories[0]'],
    ['collectedFor with an undeclared purpose', { collectedFor: ['billing', 'bill'] }, 'context.collectedFor[1]'],
    ['an objection for an undeclared purpose', { objections: [{ purpose: 'Ads', at: NOW }] }, 'context.objections[0].purpose'],
    ['an exception that is a string', { exception: 'laws_and_regulations' }, 'context.exception'],
    ['an exception with a non-string reference', { exception: { ground: 'laws_and_regulations', reference: 1 } }, 'context.exception.reference'],
    ['an exception with a non-boolean flag', { exception: { ground: 'laws_and_regulations', reference: 'x', consentImpracticable: 'yes' } }, 'context.exception.consentImpracticable'],
    ['an actor that is an object', { actor: { id: 'u1' } }, 'context.actor'],
    ['an unknown field', { purpose: 'ads' }, 'context["purpose"]'],
  ])('%s', (_, context, field) => {
    expect(check('member', 'ads', context)).toMatchObject({ allowed: false, reason: 'invalid_context', field });
  });

  test('undefined fields are absent fields', () => {
    expect(check('member', 'ads', { now: undefined, consents: undefined, exception: undefined }).allowed).toBe(true);
  });

  test('an invalid context outranks an unknown subject and purpose', () => {
    expect(check('nobody', 'nothing', { now: 'yesterday' }).reason).toBe('invalid_context');
  });

  test('messages never echo context values', () => {
    const d = check('member', 'ads', { consents: [{ purpose: 'news', grantedAt: 'alice@example.com' }] });
    expect(d.message).not.toContain('alice');
  });
});
