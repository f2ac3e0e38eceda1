import { describe, expect, test } from 'vitest';
import { at, check, NOW } from './fixture.js';

/**
 * Every combination of the rule inputs on the fixture catalogue, against a
 * deliberately simple reference written from the rule list in the README.
 * It hard-codes the fixture's facts instead of reading the catalogue, so a
 * compiler bug cannot hide in both.
 */
const T = Date.parse(NOW);

const SUBJECTS = ['member', 'visitor', 'guest'] as const;
const PURPOSES = ['news', 'news.weekly', 'ads', 'ads.profiling', 'ads.display', 'care', 'billing', 'collections', 'research', 'secret', 'spam'] as const;
const CONSENTS = ['none', 'valid', 'valid-parent', 'expired', 'withdrawn', 'future', 'other'] as const;
const OBJECTIONS = ['none', 'past', 'future'] as const;
const CATEGORIES = ['none', 'contact', 'payment', 'health', 'undeclared'] as const;
const COLLECTED = ['none', 'same', 'billing', 'research'] as const;
const ENDED = ['none', 'recent', 'old'] as const;
const EXCEPTIONS = ['none', 'valid', 'invalid'] as const;

type Combo = {
  subject: (typeof SUBJECTS)[number];
  purpose: (typeof PURPOSES)[number];
  consent: (typeof CONSENTS)[number];
  objection: (typeof OBJECTIONS)[number];
  category: (typeof CATEGORIES)[number];
  collected: (typeof COLLECTED)[number];
  ended: (typeof ENDED)[number];
  exception: (typeof EXCEPTIONS)[number];
};

const parentOf = (p: string) => (p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : undefined);

function contextOf(c: Combo): Record<string, unknown> {
  const ctx: Record<string, unknown> = {};
  const day = 86_400_000;
  const cp = c.purpose === 'spam' ? 'news' : c.purpose;
  const consentPurpose = c.consent === 'valid-parent' ? (parentOf(cp) ?? cp) : c.consent === 'other' ? (cp === 'research' ? 'ads' : 'research') : cp;
  if (c.consent !== 'none') {
    const record: Record<string, string> = { purpose: consentPurpose, grantedAt: at(-30 * day), id: `c-${c.consent}` };
    if (c.consent === 'expired') record['expiresAt'] = at(-day);
    if (c.consent === 'withdrawn') record['withdrawnAt'] = at(-day);
    if (c.consent === 'future') record['grantedAt'] = at(day);
    ctx['consents'] = [record];
  }
  if (c.objection !== 'none') ctx['objections'] = [{ purpose: cp, at: c.objection === 'past' ? at(-day) : at(day) }];
  if (c.category !== 'none') ctx['dataCategories'] = [c.category === 'undeclared' ? 'dna' : c.category];
  if (c.collected !== 'none') ctx['collectedFor'] = [c.collected === 'same' ? cp : c.collected];
  if (c.ended !== 'none') ctx['relationshipEndedAt'] = c.ended === 'recent' ? at(-day) : at(-400 * day);
  if (c.exception === 'valid') ctx['exception'] = { ground: 'laws_and_regulations', reference: 'Act 1' };
  if (c.exception === 'invalid') ctx['exception'] = { ground: 'protection_of_life_body_property', reference: 'Act 2' };
  return ctx;
}

/** The rules, transcribed. Facts about the fixture are spelled out here on purpose. */
function reference(c: Combo, ctx: Record<string, unknown>): string {
  const grants: Record<string, string[]> = { member: ['news', 'ads', 'care', 'billing', 'collections', 'research'], visitor: ['ads.display', 'research'] };
  const prohibited: Record<string, string[]> = { member: [], visitor: ['ads.profiling'] };
  const categories: Record<string, string[]> = {
    news: ['contact'], 'news.weekly': ['contact'], ads: ['contact'], 'ads.profiling': ['contact'], 'ads.display': ['contact'], care: ['contact', 'health'],
    billing: ['contact', 'payment'], collections: ['contact', 'payment'], research: ['contact'], secret: [],
  };
  const needsConsent = (p: string) => p === 'news' || p === 'news.weekly';
  const objectable = (p: string) => p === 'ads' || p.startsWith('ads.');
  const compatible: Record<string, string[]> = { billing: ['collections'] };
  const chain = (p: string) => (parentOf(p) === undefined ? [p] : [p, parentOf(p) as string]);

  if (!(c.subject in grants)) return 'unknown_subject';
  if (!(c.purpose in categories)) return 'unknown_purpose';
  if (c.exception === 'valid') return 'permitted_by_exception';
  if (c.exception === 'invalid') return 'exception_invalid';
  const p = c.purpose;
  const prohib = prohibited[c.subject] ?? [];
  if (prohib.some((x) => x === p || x.startsWith(`${p}.`) || p.startsWith(`${x}.`))) return 'purpose_prohibited';
  if (!chain(p).some((q) => grants[c.subject]?.includes(q))) return 'purpose_not_permitted';
  if (c.subject === 'member' && c.ended === 'old') return 'retention_expired';
  if (c.category === 'undeclared' || (c.category !== 'none' && !categories[p]?.includes(c.category))) return 'data_category_not_permitted';
  const consents = (ctx['consents'] as { purpose: string; grantedAt: string; expiresAt?: string; withdrawnAt?: string }[] | undefined) ?? [];
  const valid = consents.some(
    (k) =>
      chain(p).includes(k.purpose) &&
      Date.parse(k.grantedAt) <= T &&
      (k.expiresAt === undefined || T < Date.parse(k.expiresAt)) &&
      (k.withdrawnAt === undefined || T < Date.parse(k.withdrawnAt)),
  );
  if (c.category === 'health' && !valid) return 'consent_required';
  if (needsConsent(p) && !valid) {
    const relevant = consents.filter((k) => chain(p).includes(k.purpose));
    if (relevant.length === 0) return 'consent_required';
    const k = relevant[0] as (typeof consents)[number];
    if (Date.parse(k.grantedAt) > T) return 'consent_not_yet_valid';
    return k.withdrawnAt !== undefined ? 'consent_withdrawn' : 'consent_expired';
  }
  if (objectable(p) && c.objection === 'past') return 'objected';
  if (c.collected !== 'none') {
    const source = c.collected === 'same' ? p : c.collected;
    const ok = chain(p).includes(source) || chain(p).some((q) => compatible[source]?.includes(q));
    if (!ok && !valid) return 'incompatible_purpose';
  }
  return 'permitted';
}

function* combos(): Generator<Combo> {
  for (const subject of SUBJECTS)
    for (const purpose of PURPOSES)
      for (const consent of CONSENTS)
        for (const objection of OBJECTIONS)
          for (const category of CATEGORIES)
            for (const collected of COLLECTED)
              for (const ended of ENDED)
                for (const exception of EXCEPTIONS) yield { subject, purpose, consent, objection, category, collected, ended, exception };
}

describe('exhaustive decision table', () => {
  test('checkUse agrees with the reference on every combination', () => {
    let count = 0;
    const mismatches: string[] = [];
    const seen = new Set<string>();
    for (const c of combos()) {
      const ctx = contextOf(c);
      const expected = reference(c, ctx);
      const actual = check(c.subject, c.purpose, ctx);
      seen.add(actual.reason);
      if (actual.reason !== expected && mismatches.length < 10) mismatches.push(`${JSON.stringify(c)}: expected ${expected}, got ${actual.reason}`);
      count++;
    }
    expect(mismatches).toEqual([]);
    expect(count).toBe(3 * 11 * 7 * 3 * 5 * 4 * 3 * 3);
    // The table reaches every reason checkUse can give on its own.
    expect([...seen].sort()).toEqual(
      [
        'consent_expired', 'consent_not_yet_valid', 'consent_required', 'consent_withdrawn', 'data_category_not_permitted', 'exception_invalid',
        'incompatible_purpose', 'objected', 'permitted', 'permitted_by_exception', 'purpose_not_permitted', 'purpose_prohibited',
        'retention_expired', 'unknown_purpose', 'unknown_subject',
      ].sort(),
    );
  });
});
