/**
 * Purpose scopes under concurrency: requests interleaved at every `await` in
 * orders chosen by fast-check's scheduler (`fc.scheduler()`) never see another
 * request's purpose or context, nested scopes restore the outer one, guarded
 * repository calls are decided (and audited) with their own request's purpose
 * and actor, and nothing is in scope outside every request.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createGuard, type Decision, defaultCatalogue, PurposeViolationError } from '../../src/index.js';
import { currentPurpose, currentScope, guardRepository, runWithPurpose } from '../../src/node.js';
import { params, TIMEOUT } from './config.js';

/** Customer purposes; marketing.notifications needs a consent the requests may or may not carry. */
const PURPOSES = ['billing', 'identification', 'customer-support', 'fraud-prevention', 'marketing.analytics', 'marketing.notifications'] as const;

type Step = { readonly t: 'tick' } | { readonly t: 'call' } | { readonly t: 'nested'; readonly purpose: string; readonly call: boolean };

interface Request {
  readonly purpose: string;
  readonly consent: boolean;
  readonly steps: readonly Step[];
}

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.constant({ t: 'tick' } as const),
  fc.constant({ t: 'call' } as const),
  fc.record({ t: fc.constant('nested' as const), purpose: fc.constantFrom(...PURPOSES), call: fc.boolean() }),
);

const requestArb: fc.Arbitrary<Request> = fc.record({
  purpose: fc.constantFrom(...PURPOSES),
  consent: fc.boolean(),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 5 }),
});

const NOW = '2026-03-01T00:00:00Z';

describe('purpose scopes under concurrency', () => {
  it('interleaved requests never see or decide with another request\'s purpose or context', { timeout: TIMEOUT }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.array(requestArb, { minLength: 2, maxLength: 6 }), async (s, requests) => {
        const audited: { actor: unknown; purpose: string; allowed: boolean }[] = [];
        const guard = createGuard(defaultCatalogue, {
          clock: () => new Date(NOW),
          recorder: {
            record(decision: Decision, context: unknown) {
              audited.push({ actor: (context as { actor?: unknown } | undefined)?.actor, purpose: decision.purpose, allowed: decision.allowed });
            },
          },
        });
        const seenByRepo: { tag: string; actor: unknown; purpose: string | undefined }[] = [];
        const repo = guardRepository(
          {
            async find(tag: string): Promise<string> {
              await s.schedule(Promise.resolve());
              const scope = currentScope();
              seenByRepo.push({ tag, actor: scope?.context?.actor, purpose: scope?.purpose });
              return tag;
            },
          },
          { find: { subject: 'customer', operation: 'read' } },
          { guard },
        );

        const call = async (actor: string, purpose: string): Promise<void> => {
          try {
            expect(await repo.find(actor)).toBe(actor);
          } catch (error) {
            if (!(error instanceof PurposeViolationError)) throw error;
            expect(error.decision.purpose).toBe(purpose);
          }
        };
        const expectScope = (purpose: string, actor: string): void => {
          expect(currentPurpose()).toBe(purpose);
          expect(currentScope()?.context?.actor).toBe(actor);
        };

        const tasks = requests.map((r, i) => {
          const actor = `req-${i}`;
          const consents = r.consent ? [{ purpose: 'marketing.notifications', grantedAt: '2026-01-01T00:00:00Z', id: `consent-${i}` }] : undefined;
          return runWithPurpose({ purpose: r.purpose, actor, now: NOW, ...(consents === undefined ? {} : { consents }) }, async () => {
            for (const step of r.steps) {
              await s.schedule(Promise.resolve());
              expectScope(r.purpose, actor);
              if (step.t === 'call') await call(actor, r.purpose);
              if (step.t === 'nested') {
                await runWithPurpose({ purpose: step.purpose }, async () => {
                  await s.schedule(Promise.resolve());
                  // The nested scope replaces the purpose and keeps the request's context.
                  expectScope(step.purpose, actor);
                  if (step.call) await call(actor, step.purpose);
                  expectScope(step.purpose, actor);
                });
              }
              expectScope(r.purpose, actor);
            }
          });
        });
        expect(currentScope()).toBeUndefined();
        await s.waitFor(Promise.all(tasks));
        expect(currentScope()).toBeUndefined();

        // Every repository call ran under its own request's scope; every decision was recorded with its own actor.
        for (const seen of seenByRepo) expect(seen.actor).toBe(seen.tag);
        const calls = requests.flatMap((r, i) =>
          r.steps.flatMap((step) => (step.t === 'call' ? [{ actor: `req-${i}`, purpose: r.purpose }] : step.t === 'nested' && step.call ? [{ actor: `req-${i}`, purpose: step.purpose }] : [])),
        );
        const key = (x: { actor: unknown; purpose: unknown }): string => `${String(x.actor)} ${String(x.purpose)}`;
        expect(audited.map(key).sort()).toEqual(calls.map(key).sort());
        // An allow for the consent-only purpose came from a request that carried the consent.
        for (const a of audited) {
          if (a.purpose === 'marketing.notifications') expect(a.allowed).toBe(requests[Number(String(a.actor).slice(4))]?.consent);
        }
      }),
      params(13001),
    );
  });
});
