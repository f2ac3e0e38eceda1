/**
 * Monotone deny: taking a consent away, withdrawing one, adding an objection or
 * a data category, or moving `now` later (past an expiry, a withdrawal or the
 * end of retention, without crossing a new grant) never turns a deny into an allow.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ContextGen, defaultWorldArb, instantArb, renderContext, type World, worldArb } from './arbitraries.js';
import { params, TIMEOUT } from './config.js';
import { guardOf } from './helpers.js';
import { retentionEndSpec } from '../reference/decide-spec.js';

/** A change that may only take permissions away. */
type Change =
  | { readonly t: 'drop'; readonly i: number }
  | { readonly t: 'withdraw'; readonly i: number; readonly after: number }
  | { readonly t: 'object'; readonly p: number; readonly at: number }
  | { readonly t: 'category'; readonly c: number }
  | { readonly t: 'later'; readonly by: number; readonly target: number };

const changeArb: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ t: fc.constant('drop' as const), i: fc.nat(10) }),
  fc.record({ t: fc.constant('withdraw' as const), i: fc.nat(10), after: fc.constantFrom(0, 1, 3_600_000, 86_400_000 * 3) }),
  fc.record({ t: fc.constant('object' as const), p: fc.nat(20), at: instantArb }),
  fc.record({ t: fc.constant('category' as const), c: fc.nat(10) }),
  fc.record({ t: fc.constant('later' as const), by: fc.constantFrom(0, 1, 60_000, 86_400_000, 86_400_000 * 40), target: fc.nat(20) }),
);

function apply(w: World, c: ContextGen, change: Change): ContextGen {
  const consents = c.consents ?? [];
  switch (change.t) {
    case 'drop':
      return consents.length === 0 ? c : { ...c, consents: consents.filter((_, i) => i !== change.i % consents.length) };
    case 'withdraw': {
      if (consents.length === 0) return c;
      const i = change.i % consents.length;
      const x = consents[i] as NonNullable<ContextGen['consents']>[number];
      // An earlier (or first) withdrawal, never before the grant.
      const at = x.grantedAt + change.after;
      const withdrawnAt = x.withdrawnAt === undefined ? at : Math.min(x.withdrawnAt, at);
      return { ...c, consents: consents.map((y, j) => (j === i ? { ...y, withdrawnAt } : y)) };
    }
    case 'object': {
      const purposes = Object.keys(w.spec.purposes);
      return { ...c, objections: [...(c.objections ?? []), { purpose: purposes[change.p % purposes.length] as string, at: change.at }] };
    }
    case 'category': {
      const cats = [...Object.keys(w.spec.dataCategories), 'undeclared'];
      return { ...c, dataCategories: [...(c.dataCategories ?? []), cats[change.c % cats.length] as string] };
    }
    case 'later': {
      const now = c.now ?? w.clock;
      // Move to just past some expiry, withdrawal or retention end after now (or by a fixed step).
      const ends: number[] = [];
      for (const x of consents) for (const t of [x.expiresAt, x.withdrawnAt]) if (t !== undefined && t > now) ends.push(t);
      const retention = w.spec.subjects[w.subject]?.retention?.duration;
      if (retention !== undefined && c.relationshipEndedAt !== undefined) ends.push(retentionEndSpec(w.spec, retention, c.relationshipEndedAt));
      const target = ends.length === 0 ? now : Math.max(now, ends[change.target % ends.length] as number);
      const later = target + change.by;
      // Crossing a grant could rightly allow (a consent becomes valid): that is not this property.
      if (consents.some((x) => x.grantedAt > now && x.grantedAt <= later)) return c;
      return { ...c, now: later };
    }
  }
}

describe('monotone deny', () => {
  it('removing a consent, withdrawing, objecting, adding a category or moving now later never turns a deny into an allow', { timeout: TIMEOUT }, () => {
    let denies = 0;
    fc.assert(
      fc.property(fc.oneof(worldArb, defaultWorldArb), fc.array(changeArb, { minLength: 1, maxLength: 3 }), (w, changes) => {
        const guard = guardOf(w.spec, w.clock);
        const before = guard.checkUse(w.subject, w.purpose, renderContext(w.context, w.styles));
        if (before.allowed) return;
        denies++;
        const changed = changes.reduce((c, ch) => apply(w, c, ch), w.context);
        const after = guard.checkUse(w.subject, w.purpose, renderContext(changed, w.styles));
        expect({ allowed: after.allowed, reason: after.reason, was: before.reason }).toMatchObject({ allowed: false });
      }),
      params(7001),
    );
    expect(denies).toBeGreaterThan(1000);
  });
});
