/**
 * Explicit allow only: every allow names the catalogue grant that covers
 * exactly this subject and purpose (or a valid legal exception), and every
 * condition it depends on holds: no prohibition, retention not over, data
 * categories declared for the purpose, every required consent valid at `now`,
 * no objection, compatible further use.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CatalogueSpec, formatPath } from '../../src/index.js';
import { retentionEndSpec, specMs } from '../reference/decide-spec.js';
import { defaultWorldArb, renderContext, worldArb } from './arbitraries.js';
import { params, TIMEOUT } from './config.js';
import { guardOf } from './helpers.js';

const within = (ancestor: string, id: string): boolean => id === ancestor || id.startsWith(`${ancestor}.`);
/** The purpose and its ancestors, nearest first. */
const chain = (spec: CatalogueSpec, purpose: string): string[] =>
  Object.keys(spec.purposes)
    .filter((q) => within(q, purpose))
    .sort((a, b) => b.length - a.length);

interface ConsentLike {
  purpose: string;
  grantedAt: unknown;
  withdrawnAt?: unknown;
  expiresAt?: unknown;
  id?: string;
}

function validAt(c: ConsentLike, now: number): boolean {
  const g = specMs(c.grantedAt) as number;
  const w = c.withdrawnAt === undefined ? undefined : specMs(c.withdrawnAt);
  const e = c.expiresAt === undefined ? undefined : specMs(c.expiresAt);
  return g <= now && (w === undefined || now < w) && (e === undefined || now < e);
}

describe('explicit allow only', () => {
  it('an allow is backed by a grant covering exactly this pair (or a valid exception), and every condition holds', { timeout: TIMEOUT }, () => {
    let allows = 0;
    fc.assert(
      fc.property(fc.oneof(worldArb, defaultWorldArb), (w) => {
        const { spec, subject, purpose } = w;
        const context = renderContext(w.context, w.styles);
        const d = guardOf(spec, w.clock).checkUse(subject, purpose, context);
        if (!d.allowed) return;
        allows++;
        expect([d.subject, d.purpose]).toEqual([subject, purpose]);
        expect(Object.hasOwn(spec.subjects, subject) && Object.hasOwn(spec.purposes, purpose)).toBe(true);
        const ex = w.context.exception;
        if (d.reason === 'permitted_by_exception') {
          expect(ex).toBeDefined();
          const e = ex as NonNullable<typeof ex>;
          expect(d.exception).toEqual({ ground: e.ground, reference: e.reference });
          expect(e.reference.trim()).not.toBe('');
          expect(['laws_and_regulations', 'protection_of_life_body_property', 'public_health_child_welfare', 'public_authority_cooperation', 'academic_research']).toContain(e.ground);
          if (!['laws_and_regulations', 'academic_research'].includes(e.ground)) expect(e.consentImpracticable).toBe(true);
          if (e.ground === 'academic_research') expect(spec.controller.academicResearchInstitution).toBe(true);
          return;
        }
        expect(d.reason).toBe('permitted');
        expect(ex).toBeUndefined();
        const s = spec.subjects[subject] as NonNullable<CatalogueSpec['subjects'][string]>;
        const mine = chain(spec, purpose);
        // The rule is a grant of this subject for this purpose or an ancestor, and nothing prohibits it.
        const grants = mine.filter((q) => Object.hasOwn(s.purposes, q)).map((q) => formatPath(['subjects', subject, 'purposes', q]));
        expect(grants).toContain(d.rule);
        for (const x of s.prohibited ?? []) expect(within(x, purpose) || within(purpose, x)).toBe(false);
        const now = w.context.now ?? w.clock;
        if (s.retention !== undefined && w.context.relationshipEndedAt !== undefined) {
          expect(retentionEndSpec(spec, s.retention.duration, w.context.relationshipEndedAt)).toBeGreaterThan(now);
        }
        const allowedCategories = mine.map((q) => spec.purposes[q]?.dataCategories).find((x) => x !== undefined) ?? [];
        for (const cat of w.context.dataCategories ?? []) expect(allowedCategories).toContain(cat);
        const consents = (context['consents'] ?? []) as ConsentLike[];
        const valid = consents.filter((c) => mine.includes(c.purpose) && validAt(c, now));
        const basis = mine.map((q) => spec.purposes[q]?.basis).find((b) => b !== undefined) ?? 'consent';
        expect(d.basis).toBe(basis);
        const needsConsent =
          basis === 'consent' ||
          mine.some((q) => spec.purposes[q]?.requiresConsent === true) ||
          (w.context.dataCategories ?? []).some((cat) => spec.dataCategories[cat]?.specialCare === true);
        if (needsConsent) expect(valid.length).toBeGreaterThan(0);
        const consentId = d.reason === 'permitted' ? d.consentId : undefined;
        if (consentId !== undefined) expect(valid.map((c) => c.id)).toContain(consentId);
        if (mine.some((q) => spec.purposes[q]?.objectable === true)) {
          for (const o of w.context.objections ?? []) expect(mine.includes(o.purpose) && o.at <= now).toBe(false);
        }
        if (w.context.collectedFor !== undefined) {
          const compatible = w.context.collectedFor.some((c) => within(c, purpose) || (spec.purposes[c]?.compatibleWith ?? []).some((t) => within(t, purpose)));
          if (!compatible) expect(valid.length).toBeGreaterThan(0);
        }
      }),
      params(5001),
    );
    expect(allows).toBeGreaterThan(100);
  });
});
