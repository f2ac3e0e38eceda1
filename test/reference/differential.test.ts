/**
 * Differential test: checkUse and the naive reference `decideSpec` agree on
 * generated catalogues (random hierarchies, grants, prohibitions, consent and
 * objection flags, data categories, compatibility, retention, time zones) and
 * generated contexts (dates on a grid so boundaries coincide, written with
 * different offsets), and on near-valid contexts with faults planted. On every
 * case, the same context prepared once (`prepareContext`) decides exactly alike.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPath } from '../../src/index.js';
import { defaultWorldArb, renderContext, worldArb } from '../properties/arbitraries.js';
import { params, RUNS, TIMEOUT } from '../properties/config.js';
import { guardOf } from '../properties/helpers.js';
import { applyMutations, mutationsArb } from '../properties/mutations.js';
import { decideSpec } from './decide-spec.js';

describe('checkUse agrees with the reference decideSpec', () => {
  it('on generated catalogues and contexts: allowed, reason, the granting rule and the cited consent', { timeout: TIMEOUT }, () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(worldArb, (w) => {
        const context = renderContext(w.context, w.styles);
        const guard = guardOf(w.spec, w.clock);
        const d = guard.checkUse(w.subject, w.purpose, context);
        const r = decideSpec(w.spec, w.subject, w.purpose, context, new Date(w.clock));
        // The same context prepared once decides exactly as read per call.
        expect(guard.checkUse(w.subject, w.purpose, guard.prepareContext(context))).toEqual(d);
        seen.set(d.reason, (seen.get(d.reason) ?? 0) + 1);
        expect({ allowed: d.allowed, reason: d.reason, consentId: d.reason === 'permitted' ? d.consentId : undefined }).toEqual({
          allowed: r.allowed,
          reason: r.reason,
          consentId: r.consentId,
        });
        if (d.reason === 'permitted') expect(d.rule).toBe(formatPath(['subjects', w.subject, 'purposes', r.grantedBy as string]));
      }),
      params(4001),
    );
    // Every rule must have decided some cases, or the agreement says little about it.
    if (RUNS >= 10_000) {
      for (const reason of ['permitted', 'permitted_by_exception', 'exception_invalid', 'unknown_subject', 'unknown_purpose', 'purpose_prohibited', 'purpose_not_permitted', 'retention_expired', 'data_category_not_permitted', 'consent_required', 'consent_not_yet_valid', 'consent_expired', 'consent_withdrawn', 'objected', 'incompatible_purpose']) {
        expect.soft(seen.get(reason) ?? 0, reason).toBeGreaterThan(20);
      }
    }
  });

  it('on near-valid contexts (faults planted): the same reason, including invalid_context', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(fc.oneof(worldArb, defaultWorldArb), mutationsArb, (w, mutations) => {
        const context = applyMutations(renderContext(w.context, w.styles), mutations, Object.keys(w.spec.purposes));
        const guard = guardOf(w.spec, w.clock);
        const d = guard.checkUse(w.subject, w.purpose, context);
        const r = decideSpec(w.spec, w.subject, w.purpose, context, new Date(w.clock));
        expect(d.reason).toBe(r.reason);
        expect(guard.checkUse(w.subject, w.purpose, guard.prepareContext(context))).toEqual(d);
      }),
      params(4002),
    );
  });
});
