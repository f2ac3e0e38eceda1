/**
 * Messages never quote the context: a decision's message may be logged or shown
 * in an error response as it is, so the actor, the person's id, consent ids and
 * an exception's reference (which may name a case) must not appear in it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ContextGen, defaultWorldArb, renderContext, worldArb } from './arbitraries.js';
import { params, TIMEOUT } from './config.js';
import { guardOf } from './helpers.js';

const SECRET = 'SECRET';

describe('messages', () => {
  it('no decision message contains the actor, subjectId, a consent id or an exception reference', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(fc.oneof(worldArb, defaultWorldArb), fc.boolean(), (w, withException) => {
        const c: ContextGen = {
          ...w.context,
          actor: `actor-${SECRET}`,
          consents: w.context.consents?.map((x, i) => ({ ...x, id: `consent-${i}-${SECRET}` })),
          exception: withException ? { ground: w.context.exception?.ground ?? 'laws_and_regulations', reference: `Case ${SECRET} 2026` } : w.context.exception,
        };
        const context = { ...renderContext(c, w.styles), subjectId: `person-${SECRET}` };
        const d = guardOf(w.spec, w.clock).checkUse(w.subject, w.purpose, context);
        expect(d.message).not.toContain(SECRET);
      }),
      params(14001),
    );
  });
});
