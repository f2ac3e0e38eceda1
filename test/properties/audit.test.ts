/**
 * Audit: exactly one event per decision, in order, whatever the entry point
 * (checkUse, checkUseAsync, assertUse, guarded repository methods), and none for
 * permittedPurposes (it touches no data). With sinks that fail (throw, reject,
 * never answer) under the strict policy, no use is allowed without its event
 * acknowledged first.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAuditTrail, type DecisionEvent, memorySink } from '../../src/audit.js';
import { createGuard, type Decision, PurposeViolationError } from '../../src/index.js';
import { guardRepository, runWithPurpose } from '../../src/node.js';
import { renderContext, type World, worldArb } from './arbitraries.js';
import { params, TIMEOUT } from './config.js';
import { catalogueOf, guardOf } from './helpers.js';

type Op = 'checkUse' | 'checkUseAsync' | 'assertUse' | 'repoSync' | 'repoAsync' | 'permittedPurposes';
const opArb = fc.constantFrom<Op>('checkUse', 'checkUseAsync', 'assertUse', 'repoSync', 'repoAsync', 'permittedPurposes');

interface LooseAuditedGuard {
  checkUse(s: string, p: string, c?: unknown): Decision;
  checkUseAsync(s: string, p: string, c?: unknown): Promise<Decision>;
  assertUse(s: string, p: string, c?: unknown): Decision;
  permittedPurposes(s: string, c?: unknown): readonly string[];
}

/** A call to make: one of the world's declared purposes, with the world's context. */
const callsArb = (w: World): fc.Arbitrary<readonly (readonly [Op, string])[]> =>
  fc.array(fc.tuple(opArb, fc.constantFrom(w.purpose, ...Object.keys(w.spec.purposes))), { minLength: 1, maxLength: 6 });

interface Repo {
  read(): string;
  readAsync(): Promise<string>;
}
const repos = new WeakMap<LooseAuditedGuard, Repo>();

/** One guarded repository per guard, for the world's subject. */
function repoFor(guard: LooseAuditedGuard, subject: string): Repo {
  let repo = repos.get(guard);
  if (repo === undefined) {
    repo = guardRepository(
      { read: () => 'row', readAsync: async () => 'row' },
      { read: { subject, operation: 'read' }, readAsync: { subject, operation: 'read' } } as never,
      { guard: guard as never },
    );
    repos.set(guard, repo);
  }
  return repo;
}

/**
 * Runs one call; returns whether the use went ahead (or `undefined` for calls
 * that decide nothing to record) and the guard's returned decision, if it gave one.
 */
async function run(guard: LooseAuditedGuard, w: World, op: Op, purpose: string, context: Record<string, unknown>): Promise<boolean | undefined> {
  const repo = repoFor(guard, w.subject);
  const refused = (error: unknown): boolean => {
    if (error instanceof PurposeViolationError) return false;
    throw error;
  };
  switch (op) {
    case 'checkUse':
      return guard.checkUse(w.subject, purpose, context).allowed;
    case 'checkUseAsync':
      return (await guard.checkUseAsync(w.subject, purpose, context)).allowed;
    case 'assertUse':
      try {
        return guard.assertUse(w.subject, purpose, context).allowed;
      } catch (error) {
        return refused(error);
      }
    case 'repoSync':
    case 'repoAsync':
      try {
        await runWithPurpose({ ...context, purpose } as never, () => (op === 'repoSync' ? repo.read() : repo.readAsync()));
        return true;
      } catch (error) {
        return refused(error);
      }
    case 'permittedPurposes':
      guard.permittedPurposes(w.subject, context);
      return undefined;
  }
}

describe('audit', () => {
  it('exactly one event per decision, in order, with the decision\'s subject, purpose and reason', { timeout: TIMEOUT }, async () => {
    await fc.assert(
      fc.asyncProperty(
        worldArb.filter((w) => Object.hasOwn(w.spec.subjects, w.subject)).chain((w) => fc.tuple(fc.constant(w), callsArb(w))),
        async ([w, calls]) => {
          const context = renderContext(w.context, w.styles);
          const memory = memorySink();
          const catalogue = catalogueOf(w.spec);
          const trail = createAuditTrail({ catalogue, sinks: [memory], clock: () => new Date(w.clock) });
          const guard = createGuard(catalogue, { clock: () => new Date(w.clock), recorder: trail }) as unknown as LooseAuditedGuard;
          const plain = guardOf(w.spec, w.clock);
          const expected: Decision[] = [];
          for (const [op, purpose] of calls) {
            const proceeded = await run(guard, w, op, purpose, context);
            if (proceeded === undefined) continue;
            const d = plain.checkUse(w.subject, purpose, context);
            expect(proceeded).toBe(d.allowed);
            expected.push(d);
          }
          await trail.flush();
          const events = memory.events();
          expect(events.map((e) => [e.seq, e.subject, e.purpose, e.reason, e.allowed])).toEqual(
            expected.map((d, i) => [i + 1, d.subject, d.purpose, d.reason, d.allowed]),
          );
          expect(trail.stats()).toMatchObject({ recorded: expected.length, acknowledged: expected.length, pending: 0 });
        },
      ),
      params(12001),
    );
  });

  type Behaviour = 'ok' | 'throw' | 'resolve' | 'reject' | 'hang';
  const behaviourArb = fc.constantFrom<Behaviour>('ok', 'ok', 'throw', 'resolve', 'resolve', 'reject', 'hang');

  /** A sink that does what the script says, and remembers which events it really acknowledged. */
  function scriptedSink(script: readonly Behaviour[]) {
    let n = 0;
    const acknowledged = new Set<string>();
    const written: DecisionEvent[] = [];
    return {
      acknowledged,
      written,
      sink: {
        name: 'scripted',
        write(event: DecisionEvent): void | Promise<void> {
          written.push(event);
          const b = script[n++ % script.length] as Behaviour;
          switch (b) {
            case 'ok':
              acknowledged.add(event.decisionId);
              return;
            case 'throw':
              throw new Error('disk full');
            case 'resolve':
              return Promise.resolve().then(() => {
                acknowledged.add(event.decisionId);
              });
            case 'reject':
              return Promise.reject(new Error('network down'));
            case 'hang':
              return new Promise<void>(() => {});
          }
        },
      },
    };
  }

  it('strict policy, failing sinks: no allow without its event acknowledged first', { timeout: TIMEOUT }, async () => {
    const seen = { allowedAfterAck: 0, refusedForAudit: 0 };
    await fc.assert(
      fc.asyncProperty(
        worldArb.filter((w) => Object.hasOwn(w.spec.subjects, w.subject)).chain((w) => fc.tuple(fc.constant(w), callsArb(w))),
        fc.array(behaviourArb, { minLength: 1, maxLength: 6 }),
        async ([w, calls], script) => {
          const context = renderContext(w.context, w.styles);
          const catalogue = catalogueOf(w.spec);
          const scripted = scriptedSink(script);
          const asyncSink = script.some((b) => b === 'resolve' || b === 'reject' || b === 'hang');
          const trail = createAuditTrail({ catalogue, sinks: [scripted.sink], policy: 'strict', timeoutMs: 2, onAuditError: () => {} });
          const guard = createGuard(catalogue, { clock: () => new Date(w.clock), recorder: trail, auditPolicy: 'strict', onAuditError: () => {} }) as unknown as LooseAuditedGuard;
          let decisions = 0;
          for (const [op, purpose] of calls) {
            // A sync check cannot wait for an asynchronous acknowledgement (see the report): only sync sinks there.
            if (asyncSink && (op === 'checkUse' || op === 'assertUse' || op === 'repoSync')) continue;
            const before = scripted.written.length;
            const proceeded = await run(guard, w, op, purpose, context);
            if (proceeded === undefined) continue;
            decisions++;
            expect(scripted.written.length).toBe(before + 1);
            const event = scripted.written[before] as DecisionEvent;
            if (proceeded) expect(scripted.acknowledged.has(event.decisionId)).toBe(true);
            if (proceeded) seen.allowedAfterAck++;
            else if (event.allowed) seen.refusedForAudit++;
          }
          expect(trail.stats().recorded).toBe(decisions);
        },
      ),
      params(12002),
    );
    // Both sides happened: allows after an acknowledgement, and allows the policy turned into denies.
    expect(seen.allowedAfterAck).toBeGreaterThan(100);
    expect(seen.refusedForAudit).toBeGreaterThan(100);
  });
});
