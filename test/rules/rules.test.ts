import { describe, expect, test } from 'vitest';
import { createGuard, defineCatalogue } from '../../src/index.js';
import { at, check, NOW } from './fixture.js';

const consent = (purpose: string, extra: Record<string, string> = {}) => ({ purpose, grantedAt: at(-86_400_000), ...extra });

describe('rule 2: identity', () => {
  test('a valid exception never rescues an undeclared id', () => {
    const exception = { ground: 'laws_and_regulations', reference: 'Tax Act Art. 1' };
    expect(check('guest', 'ads', { exception }).reason).toBe('unknown_subject');
    expect(check('member', 'spam', { exception }).reason).toBe('unknown_purpose');
  });
});

describe('rule 3: legal exceptions (APPI Art. 18(3))', () => {
  const valid = [
    { ground: 'laws_and_regulations', reference: 'Companies Act Art. 121' },
    { ground: 'protection_of_life_body_property', reference: 'Emergency', consentImpracticable: true },
    { ground: 'public_health_child_welfare', reference: 'Infectious Diseases Act', consentImpracticable: true },
    { ground: 'public_authority_cooperation', reference: 'Police inquiry 2026-17', consentImpracticable: true },
  ];
  test.each(valid)('$ground allows any declared purpose, over prohibition, permission and consent', (exception) => {
    for (const [s, p] of [['visitor', 'ads.profiling'], ['visitor', 'secret'], ['member', 'news']]) {
      const d = check(s, p, { exception, consents: [] });
      expect(d).toMatchObject({ allowed: true, reason: 'permitted_by_exception', step: 'exception', rule: 'context.exception' });
      expect(d.allowed && d.reason === 'permitted_by_exception' && d.exception).toEqual({ ground: exception.ground, reference: exception.reference });
    }
  });

  test.each([
    ['an unknown ground', { ground: 'national_security', reference: 'x' }],
    ['an empty reference', { ground: 'laws_and_regulations', reference: '' }],
    ['a blank reference', { ground: 'laws_and_regulations', reference: '  \n' }],
    ['the life ground without consentImpracticable', { ground: 'protection_of_life_body_property', reference: 'x' }],
    ['the public health ground with consentImpracticable false', { ground: 'public_health_child_welfare', reference: 'x', consentImpracticable: false }],
    ['the authority ground without consentImpracticable', { ground: 'public_authority_cooperation', reference: 'x' }],
    ['academic research by a company', { ground: 'academic_research', reference: 'Study 12' }],
  ])('%s is exception_invalid', (_, exception) => {
    expect(check('member', 'ads', { exception })).toMatchObject({ allowed: false, reason: 'exception_invalid', rule: 'context.exception' });
  });

  test('academic research needs an academic research institution', () => {
    const institute = createGuard(
      defineCatalogue({
        version: '1',
        controller: { name: 'University', academicResearchInstitution: true },
        dataCategories: {},
        purposes: { study: { title: 'Study', basis: 'public_task' } },
        subjects: { participant: { title: 'Participants', purposes: {} } },
      }),
    );
    expect(institute.checkUse('participant', 'study' as string, { exception: { ground: 'academic_research', reference: 'Ethics approval 7' } })).toMatchObject({
      allowed: true,
      reason: 'permitted_by_exception',
    });
  });
});

describe('rule 4: permission and prohibition over the hierarchy', () => {
  test('a grant covers descendants, never ancestors; a prohibition covers itself, ancestors and descendants', () => {
    expect(check('member', 'news.weekly', { consents: [consent('news')] }).allowed).toBe(true);
    expect(check('visitor', 'ads').reason).toBe('purpose_prohibited');
    expect(check('visitor', 'ads.profiling').reason).toBe('purpose_prohibited');
    expect(check('visitor', 'ads').rule).toBe('subjects.visitor.prohibited[0]');
    expect(check('visitor', 'news').reason).toBe('purpose_not_permitted');
  });
});

describe('rule 5: retention', () => {
  const year = 365 * 86_400_000;
  test('exactly at the end of retention the data has expired; 1 ms before it has not', () => {
    const endedAt = at(-year); // 2025-06-15T12:00:00Z: no leap day in between
    expect(check('member', 'ads', { relationshipEndedAt: endedAt })).toMatchObject({ reason: 'retention_expired', rule: 'subjects.member.retention' });
    expect(check('member', 'ads', { relationshipEndedAt: endedAt, now: at(-1) }).allowed).toBe(true);
    expect(check('member', 'ads', { relationshipEndedAt: endedAt, now: at(1) }).reason).toBe('retention_expired');
    expect(check('member', 'ads', { relationshipEndedAt: at(3_600_000) }).allowed).toBe(true);
  });

  test('subjects without retention are not limited', () => {
    expect(check('visitor', 'research', { relationshipEndedAt: '2000-01-01T00:00:00Z' }).allowed).toBe(true);
  });

  const monthly = (timeZone?: string) =>
    createGuard(
      defineCatalogue({
        version: '1',
        ...(timeZone === undefined ? {} : { timeZone }),
        controller: { name: 'x' },
        dataCategories: {},
        purposes: { p: { title: 'P', basis: 'contract' } },
        subjects: {
          m: { title: 'M', purposes: { p: 'p' }, retention: { duration: { months: 1 } } },
          d: { title: 'D', purposes: { p: 'p' }, retention: { duration: { days: 1 } } },
        },
      }),
    );

  test('calendar months count in UTC unless the catalogue names a zone', () => {
    const ended = '2024-01-30T20:00:00Z'; // 31 January in Tokyo
    // UTC: 30 Jan + 1 month = 29 Feb 20:00Z (clamped). Tokyo: 31 Jan 05:00 + 1 month = 29 Feb 05:00 JST = 28 Feb 20:00Z.
    const check = (g: ReturnType<typeof monthly>, now: string) => g.checkUse('m', 'p' as string, { relationshipEndedAt: ended, now }).reason;
    expect(check(monthly(), '2024-02-29T19:59:59.999Z')).toBe('permitted');
    expect(check(monthly(), '2024-02-29T20:00:00Z')).toBe('retention_expired');
    expect(check(monthly('Asia/Tokyo'), '2024-02-28T19:59:59.999Z')).toBe('permitted');
    expect(check(monthly('Asia/Tokyo'), '2024-02-28T20:00:00Z')).toBe('retention_expired');
  });

  test('a day across a daylight-saving change is 23 hours in that zone and 24 in UTC', () => {
    const ended = '2024-03-09T12:00:00Z';
    const check = (g: ReturnType<typeof monthly>, now: string) => g.checkUse('d', 'p' as string, { relationshipEndedAt: ended, now }).reason;
    expect(check(monthly('America/New_York'), '2024-03-10T11:00:00Z')).toBe('retention_expired');
    expect(check(monthly(), '2024-03-10T11:00:00Z')).toBe('permitted');
    expect(check(monthly(), '2024-03-10T12:00:00Z')).toBe('retention_expired');
  });
});

describe('rule 6: data categories', () => {
  test('an undeclared category, or one outside the purpose, is denied', () => {
    expect(check('member', 'ads', { dataCategories: ['contact', 'dna'] })).toMatchObject({ reason: 'data_category_not_permitted', rule: 'dataCategories' });
    expect(check('member', 'ads', { dataCategories: ['payment'] })).toMatchObject({ reason: 'data_category_not_permitted', rule: 'purposes.ads.dataCategories' });
    expect(check('member', 'billing', { dataCategories: ['contact', 'payment'] }).allowed).toBe(true);
  });

  test('a child inherits its nearest ancestor list', () => {
    expect(check('member', 'news.weekly', { dataCategories: ['contact'], consents: [consent('news')] }).allowed).toBe(true);
    expect(check('member', 'news.weekly', { dataCategories: ['payment'], consents: [consent('news')] }).reason).toBe('data_category_not_permitted');
  });

  test('special-care data needs a valid consent for this purpose', () => {
    expect(check('member', 'care', { dataCategories: ['health'] })).toMatchObject({ reason: 'consent_required', step: 'consent' });
    expect(check('member', 'care', { dataCategories: ['health'], consents: [consent('news')] }).reason).toBe('consent_required');
    expect(check('member', 'care', { dataCategories: ['health'], consents: [consent('care', { withdrawnAt: at(-1) })] }).reason).toBe('consent_required');
    expect(check('member', 'care', { dataCategories: ['health'], consents: [consent('care', { id: 'k1' })] })).toMatchObject({ allowed: true, consentId: 'k1' });
    expect(check('member', 'care', { dataCategories: ['contact'] }).allowed).toBe(true);
  });
});

describe('rule 7: consent', () => {
  test('none, another purpose, or a child purpose only: consent_required', () => {
    expect(check('member', 'news').reason).toBe('consent_required');
    expect(check('member', 'news', { consents: [] }).reason).toBe('consent_required');
    expect(check('member', 'news', { consents: [consent('ads')] }).reason).toBe('consent_required');
    expect(check('member', 'news', { consents: [consent('news.weekly')] }).reason).toBe('consent_required');
  });

  test('a consent to a parent covers the child', () => {
    expect(check('member', 'news.weekly', { consents: [consent('news', { id: 'p' })] })).toMatchObject({ allowed: true, consentId: 'p' });
  });

  test('granted exactly now counts; 1 ms in the future is not yet valid', () => {
    expect(check('member', 'news', { consents: [{ purpose: 'news', grantedAt: NOW }] }).allowed).toBe(true);
    const d = check('member', 'news', { consents: [{ purpose: 'news', grantedAt: at(1), id: 'f' }] });
    expect(d).toMatchObject({ reason: 'consent_not_yet_valid', record: { kind: 'consent', id: 'f', purpose: 'news', at: at(1) } });
  });

  test('intervals are half-open: expiring now no longer counts, 1 ms later still does', () => {
    expect(check('member', 'news', { consents: [consent('news', { expiresAt: NOW })] }).reason).toBe('consent_expired');
    expect(check('member', 'news', { consents: [consent('news', { expiresAt: at(1) })] }).allowed).toBe(true);
    expect(check('member', 'news', { consents: [consent('news', { expiresAt: at(-1) })] }).reason).toBe('consent_expired');
  });

  test('a withdrawal at now already applies; 1 ms later it does not yet', () => {
    expect(check('member', 'news', { consents: [consent('news', { withdrawnAt: NOW })] }).reason).toBe('consent_withdrawn');
    expect(check('member', 'news', { consents: [consent('news', { withdrawnAt: at(1) })] }).allowed).toBe(true);
  });

  test('the reason comes from the latest consent given', () => {
    const oldWithdrawn = { purpose: 'news', grantedAt: at(-10_000), withdrawnAt: at(-9_000), id: 'old' };
    const newExpired = { purpose: 'news', grantedAt: at(-5_000), expiresAt: at(-1_000), id: 'new' };
    const d = check('member', 'news', { consents: [oldWithdrawn, newExpired] });
    expect(d).toMatchObject({ reason: 'consent_expired', record: { id: 'new' } });
    expect(check('member', 'news', { consents: [newExpired, oldWithdrawn] })).toEqual(d);
  });

  test('one valid consent among invalid ones is enough, and is cited', () => {
    const d = check('member', 'news', { consents: [consent('news', { withdrawnAt: at(-1), id: 'w' }), consent('news', { id: 'ok' })] });
    expect(d).toMatchObject({ allowed: true, consentId: 'ok', rule: 'subjects.member.purposes.news', basis: 'consent' });
  });

  test('the same instant written with different offsets decides the same', () => {
    const tokyo = { now: '2026-06-15T21:00:00+09:00', consents: [{ purpose: 'news', grantedAt: '2026-06-15T05:00:00-07:00', expiresAt: '2026-06-15T21:00:00+09:00' }] };
    const utc = { now: '2026-06-15T12:00:00Z', consents: [{ purpose: 'news', grantedAt: '2026-06-15T12:00:00Z', expiresAt: '2026-06-15T12:00:00Z' }] };
    const date = { now: new Date('2026-06-15T12:00:00Z'), consents: [{ purpose: 'news', grantedAt: new Date(NOW), expiresAt: new Date(NOW) }] };
    expect(check('member', 'news', tokyo)).toEqual(check('member', 'news', utc));
    expect(check('member', 'news', date)).toEqual(check('member', 'news', utc));
    expect(check('member', 'news', utc).reason).toBe('consent_expired');
  });
});

describe('rule 8: objection', () => {
  test('an objection at or before now to this purpose or an ancestor denies an objectable purpose', () => {
    expect(check('member', 'ads', { objections: [{ purpose: 'ads', at: NOW }] })).toMatchObject({ reason: 'objected', record: { kind: 'objection', purpose: 'ads' } });
    expect(check('member', 'ads', { objections: [{ purpose: 'ads', at: at(1) }] }).allowed).toBe(true);
    expect(check('member', 'ads', { objections: [{ purpose: 'ads.profiling', at: at(-1) }] }).allowed).toBe(true);
  });

  test('objectable is inherited by descendants', () => {
    const g = check('member', 'ads.profiling', { objections: [{ purpose: 'ads', at: at(-1) }] });
    expect(g.reason).toBe('objected');
  });

  test('an objection to a purpose that is not objectable does not decide', () => {
    expect(check('member', 'billing', { objections: [{ purpose: 'billing', at: at(-1) }] }).allowed).toBe(true);
  });
});

describe('rule 9: further use', () => {
  test('the same purpose, a descendant, or a compatible one is not a new use', () => {
    expect(check('member', 'billing', { collectedFor: ['billing'] }).allowed).toBe(true);
    expect(check('member', 'collections', { collectedFor: ['billing'] }).allowed).toBe(true);
    expect(check('member', 'news.weekly', { collectedFor: ['news'], consents: [consent('news')] }).allowed).toBe(true);
  });

  test('an incompatible purpose needs its own consent', () => {
    expect(check('member', 'research', { collectedFor: ['billing'] })).toMatchObject({ reason: 'incompatible_purpose', rule: 'context.collectedFor' });
    expect(check('member', 'research', { collectedFor: ['billing'], consents: [consent('research', { id: 'r' })] })).toMatchObject({ allowed: true, consentId: 'r' });
    expect(check('member', 'billing', { collectedFor: ['collections'] }).reason).toBe('incompatible_purpose');
  });
});

describe('rule order: the first deny decides', () => {
  test('retention before categories before consent before objection before further use', () => {
    const all = {
      relationshipEndedAt: '2020-01-01T00:00:00Z',
      dataCategories: ['payment'],
      objections: [{ purpose: 'news', at: at(-1) }],
      collectedFor: ['billing'],
    };
    expect(check('member', 'news', all).reason).toBe('retention_expired');
    const { relationshipEndedAt: _r, ...noRetention } = all;
    expect(check('member', 'news', noRetention).reason).toBe('data_category_not_permitted');
    const { dataCategories: _d, ...noCategories } = noRetention;
    expect(check('member', 'news', noCategories).reason).toBe('consent_required');
    expect(check('member', 'ads', { ...noCategories, objections: [{ purpose: 'ads', at: at(-1) }] }).reason).toBe('objected');
    expect(check('member', 'ads', { collectedFor: ['billing'] }).reason).toBe('incompatible_purpose');
  });
});
