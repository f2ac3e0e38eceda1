import { describe, expect, test } from 'vitest';
import { createGuard, defaultCatalogue, type Decision } from '../../src/index.js';

const guard = createGuard(defaultCatalogue, { clock: () => new Date('2026-11-24T00:00:00Z') });
const check = guard.checkUse as (s: unknown, p: unknown, c?: unknown) => Decision;

/** The 19 (subject, purpose) pairs of the seed privacy policy. */
const SEED_PAIRS: readonly (readonly [string, string])[] = [
  ['customer', 'identification'],
  ['customer', 'service-provision'],
  ['customer', 'billing'],
  ['customer', 'customer-support'],
  ['customer', 'product-development'],
  ['customer', 'marketing.notifications'],
  ['customer', 'marketing.surveys'],
  ['customer', 'marketing.analytics'],
  ['customer', 'fraud-prevention'],
  ['customer', 'website-convenience'],
  ['client', 'business-communication'],
  ['client', 'client-management'],
  ['shareholder', 'statutory-shareholder-rights'],
  ['shareholder', 'shareholder-registry'],
  ['applicant', 'recruitment.communication'],
  ['applicant', 'recruitment.administration'],
  ['employee', 'business-communication'],
  ['employee', 'employment.administration'],
  ['employee', 'employment.health-management'],
];

const consentFor = (purpose: string) => ({ consents: [{ purpose, grantedAt: '2026-01-01T00:00:00Z', id: `consent-${purpose}` }] });

describe('default catalogue', () => {
  test('declares exactly the seed subjects and purposes', () => {
    expect(Object.keys(defaultCatalogue.subjects)).toEqual(['customer', 'client', 'shareholder', 'applicant', 'employee']);
    const declared = Object.keys(defaultCatalogue.purposes);
    for (const [, p] of SEED_PAIRS) expect(declared).toContain(p);
    for (const parent of ['marketing', 'recruitment', 'employment']) expect(declared).toContain(parent);
    expect(SEED_PAIRS).toHaveLength(19);
  });

  test('every purpose has a GDPR Art. 6 basis and a reason for it', () => {
    for (const [id, p] of Object.entries(defaultCatalogue.purposes)) {
      expect(p.basis, id).toBeDefined();
      expect(p.basisNote, id).toMatch(/\S/);
      expect(p.dataCategories?.length, id).toBeGreaterThan(0);
    }
  });

  test.each(SEED_PAIRS)('%s / %s is allowed (with the consent it requires)', (subject, purpose) => {
    const needsConsent = check(subject, purpose).reason === 'consent_required';
    const d = check(subject, purpose, needsConsent ? consentFor(purpose) : undefined);
    expect(d).toMatchObject({ allowed: true, reason: 'permitted', subject, purpose });
    expect(d.allowed && d.rule).toBe(`subjects.${subject}.purposes${/[.]/.test(purpose) ? `["${purpose}"]` : `.${purpose}`}`);
    if (needsConsent) expect(d.allowed && d.reason === 'permitted' && d.consentId).toBe(`consent-${purpose}`);
  });

  test('only marketing.notifications and website-convenience need consent', () => {
    const needing = SEED_PAIRS.filter(([s, p]) => check(s, p).reason === 'consent_required').map(([, p]) => p);
    expect(needing).toEqual(['marketing.notifications', 'website-convenience']);
  });

  test('every other (subject, purpose) pair is denied as purpose_not_permitted', () => {
    const seed = new Set(SEED_PAIRS.map(([s, p]) => `${s}/${p}`));
    let others = 0;
    for (const subject of Object.keys(defaultCatalogue.subjects)) {
      for (const purpose of Object.keys(defaultCatalogue.purposes)) {
        if (seed.has(`${subject}/${purpose}`)) continue;
        others++;
        const d = check(subject, purpose, consentFor(purpose));
        expect(d, `${subject}/${purpose}`).toMatchObject({ allowed: false, reason: 'purpose_not_permitted', rule: `subjects.${subject}.purposes` });
      }
    }
    expect(others).toBe(5 * 21 - 19);
  });

  test.each(['marketing', 'recruitment', 'employment'])('the parent %s is denied for everyone', (parent) => {
    for (const subject of Object.keys(defaultCatalogue.subjects)) {
      expect(check(subject, parent, consentFor(parent)).reason).toBe('purpose_not_permitted');
    }
  });

  test('health data: only employment.health-management may touch it, and it needs consent', () => {
    const health = { dataCategories: ['health'] };
    expect(check('employee', 'employment.administration', health).reason).toBe('data_category_not_permitted');
    expect(check('employee', 'employment.health-management', health).reason).toBe('consent_required');
    expect(check('employee', 'employment.health-management', { ...health, ...consentFor('employment.health-management') }).allowed).toBe(true);
    expect(check('employee', 'employment.health-management', { dataCategories: ['identity'] }).allowed).toBe(true);
  });

  test('customer support never touches payment data', () => {
    expect(check('customer', 'customer-support', { dataCategories: ['contact', 'payment'] })).toMatchObject({
      allowed: false,
      reason: 'data_category_not_permitted',
      rule: 'purposes.customer-support.dataCategories',
    });
    expect(check('customer', 'billing', { dataCategories: ['contact', 'payment'] }).allowed).toBe(true);
  });

  test('marketing is objectable, billing is not', () => {
    const objection = { objections: [{ purpose: 'marketing', at: '2026-02-01T00:00:00Z' }] };
    expect(check('customer', 'marketing.analytics', objection).reason).toBe('objected');
    expect(check('customer', 'marketing.surveys', objection).reason).toBe('objected');
    expect(check('customer', 'billing', { objections: [{ purpose: 'billing', at: '2026-02-01T00:00:00Z' }] }).allowed).toBe(true);
  });

  test('every decision explains itself', () => {
    for (const [s, p] of [...SEED_PAIRS, ['employee', 'marketing.analytics'] as const, ['nobody', 'x'] as const]) {
      const d = check(s, p);
      expect(d.message.length).toBeGreaterThan(20);
      expect(d.rule).toMatch(/\S/);
      expect(d.law.length).toBeGreaterThan(0);
      expect(Object.isFrozen(d)).toBe(true);
    }
  });
});
