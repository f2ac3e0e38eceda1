import { describe, expect, test } from 'vitest';
import { CatalogueError, type CatalogueIssue, createGuard, defineCatalogue, parseCatalogue, safeParseCatalogue } from '../../src/index.js';

const base = () => ({
  version: '2026-11-24',
  controller: { name: 'Example Co., Ltd.' },
  dataCategories: { health: { title: 'Health information', specialCare: true }, contact: { title: 'Contact' } },
  purposes: {
    billing: { title: 'Billing', basis: 'contract' },
    marketing: { title: 'Marketing' },
    'marketing.analytics': { title: 'Marketing analysis', basis: 'legitimate_interests' },
  } as Record<string, Record<string, unknown>>,
  subjects: {
    customer: { title: 'Customers', purposes: { billing: 'To bill the charge for the use of our services' }, prohibited: [] as string[] },
  } as Record<string, Record<string, unknown>>,
});

function issuesOf(input: unknown): readonly CatalogueIssue[] {
  try {
    parseCatalogue(input);
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogueError);
    return (error as CatalogueError).issues;
  }
  throw new Error('expected parseCatalogue to throw');
}

describe('parseCatalogue', () => {
  test("accepts the issue's example and freezes it", () => {
    const c = parseCatalogue(base());
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.purposes['marketing.analytics'])).toBe(true);
  });

  test('does not share structure with its input', () => {
    const input = base();
    const c = parseCatalogue(input);
    input.purposes['billing'] = { title: 'changed' };
    expect(c.purposes['billing']?.title).toBe('Billing');
  });

  test('an unknown purpose referenced by a subject', () => {
    const c = base();
    c.subjects['customer'] = { title: 'C', purposes: { shipping: 'x' } };
    expect(issuesOf(c)).toContainEqual(expect.objectContaining({ code: 'unknown_purpose', path: ['subjects', 'customer', 'purposes', 'shipping'] }));
  });

  test('an unknown purpose in prohibited and in compatibleWith', () => {
    const c = base();
    c.subjects['customer'] = { title: 'C', purposes: {}, prohibited: ['ads'] };
    c.purposes['billing'] = { title: 'B', compatibleWith: ['collections'] };
    const issues = issuesOf(c);
    expect(issues).toContainEqual(expect.objectContaining({ code: 'unknown_purpose', path: ['subjects', 'customer', 'prohibited', 0] }));
    expect(issues).toContainEqual(expect.objectContaining({ code: 'unknown_purpose', path: ['purposes', 'billing', 'compatibleWith', 0] }));
  });

  test('an undeclared parent', () => {
    const c = base();
    c.purposes['recruitment.communication'] = { title: 'R' };
    expect(issuesOf(c)).toContainEqual(expect.objectContaining({ code: 'undeclared_parent', path: ['purposes', 'recruitment.communication'] }));
  });

  test.each(['Billing', 'billing..x', '.billing', 'billing.', 'bill ing', 'bill_ing', 'billing/x', '__proto__', 'ｂｉｌｌｉｎｇ', ''])('a bad purpose id %j', (id) => {
    const c = base();
    // defineProperty, so that "__proto__" is an own key as JSON.parse makes it
    Object.defineProperty(c.purposes, id, { value: { title: 'x' }, enumerable: true });
    expect(issuesOf(c)).toContainEqual(expect.objectContaining({ code: 'invalid_id', path: ['purposes', id] }));
  });

  test('a bad subject id', () => {
    const c = base();
    c.subjects['Customer'] = { title: 'x', purposes: {} };
    expect(issuesOf(c)).toContainEqual(expect.objectContaining({ code: 'invalid_id', path: ['subjects', 'Customer'] }));
  });

  test('duplicates in lists', () => {
    const c = base();
    c.subjects['customer'] = { title: 'C', purposes: {}, prohibited: ['marketing', 'marketing'] };
    c.purposes['billing'] = { title: 'B', dataCategories: ['contact', 'contact'] };
    const issues = issuesOf(c);
    expect(issues).toContainEqual(expect.objectContaining({ code: 'duplicate', path: ['subjects', 'customer', 'prohibited', 1] }));
    expect(issues).toContainEqual(expect.objectContaining({ code: 'duplicate', path: ['purposes', 'billing', 'dataCategories', 1] }));
  });

  test('a compatibility cycle', () => {
    const c = base();
    c.purposes['billing'] = { title: 'B', compatibleWith: ['marketing'] };
    c.purposes['marketing'] = { title: 'M', compatibleWith: ['billing'] };
    expect(issuesOf(c)).toContainEqual(expect.objectContaining({ code: 'cycle' }));
  });

  test('a purpose both permitted and prohibited', () => {
    const c = base();
    c.subjects['customer'] = { title: 'C', purposes: { 'marketing.analytics': 'x' }, prohibited: ['marketing'] };
    expect(issuesOf(c)).toContainEqual(expect.objectContaining({ code: 'conflict', path: ['subjects', 'customer', 'prohibited', 0] }));
  });

  test('unknown fields, at any depth', () => {
    const c = base() as Record<string, unknown>;
    c['purpose'] = {};
    (c['purposes'] as Record<string, Record<string, unknown>>)['billing'] = { title: 'B', requireConsent: true };
    const issues = issuesOf(c);
    expect(issues).toContainEqual(expect.objectContaining({ code: 'unknown_field', path: ['purpose'] }));
    expect(issues).toContainEqual(expect.objectContaining({ code: 'unknown_field', path: ['purposes', 'billing', 'requireConsent'] }));
  });

  test('an unknown data category and an unknown legal basis', () => {
    const c = base();
    c.purposes['billing'] = { title: 'B', basis: 'because', dataCategories: ['credit-card'] };
    const issues = issuesOf(c);
    expect(issues).toContainEqual(expect.objectContaining({ code: 'unknown_data_category', path: ['purposes', 'billing', 'dataCategories', 0] }));
    expect(issues).toContainEqual(expect.objectContaining({ path: ['purposes', 'billing', 'basis'] }));
  });

  test('a bad time zone and a bad retention', () => {
    const c = { ...base(), timeZone: 'Mars/Olympus' };
    c.subjects['customer'] = { title: 'C', purposes: {}, retention: { duration: { years: -1 } } };
    const issues = issuesOf(c);
    expect(issues).toContainEqual(expect.objectContaining({ path: ['timeZone'] }));
    expect(issues).toContainEqual(expect.objectContaining({ path: ['subjects', 'customer', 'retention', 'duration', 'years'] }));
  });

  test('every problem is listed at once, and the message names each path', () => {
    const c = base();
    c.purposes['a.b'] = { title: 'x' };
    c.subjects['customer'] = { title: 'C', purposes: { nope: 'x' } };
    const issues = issuesOf(c);
    expect(issues.length).toBeGreaterThanOrEqual(2);
    try {
      parseCatalogue(c);
    } catch (error) {
      expect((error as Error).message).toContain('purposes["a.b"]');
      expect((error as Error).message).toContain('subjects.customer.purposes.nope');
    }
  });

  test.each([null, undefined, 42, 'catalogue', [], new Proxy({}, { ownKeys: () => { throw new Error('trap'); } })])('non-catalogue input %#', (input) => {
    expect(() => parseCatalogue(input)).toThrow(CatalogueError);
  });
});

describe('safeParseCatalogue', () => {
  test('returns the catalogue or the error, never throws', () => {
    const ok = safeParseCatalogue(base());
    expect(ok.success).toBe(true);
    const bad = safeParseCatalogue({ version: 1 });
    expect(bad.success).toBe(false);
    if (!bad.success) expect(bad.error.issues.length).toBeGreaterThan(0);
  });
});

describe('defineCatalogue', () => {
  test('validates like parseCatalogue', () => {
    expect(() =>
      defineCatalogue({
        version: '1',
        controller: { name: 'x' },
        dataCategories: {},
        purposes: { 'a.b': { title: 'x' } },
        subjects: {},
      }),
    ).toThrow(CatalogueError);
  });

  test('the catalogue drives a guard', () => {
    const catalogue = defineCatalogue({
      version: '1',
      controller: { name: 'x' },
      dataCategories: {},
      purposes: { billing: { title: 'Billing', basis: 'contract' }, 'billing-export': { title: 'Export', basis: 'contract' } },
      subjects: { user: { title: 'Users', purposes: { billing: 'Bill' } } },
    });
    const guard = createGuard(catalogue);
    expect(guard.checkUse('user', 'billing').allowed).toBe(true);
    expect(guard.checkUse('user', 'billing-export' as string).reason).toBe('purpose_not_permitted');
  });
});
