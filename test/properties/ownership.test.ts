/**
 * Ownership of decisions: a decision is frozen, or it is its caller's alone.
 * The guard shares its prebuilt decisions between calls, so those are frozen,
 * with everything they hold. A decision that cites something of one call (a
 * consent id, a record, an exception) is built for that call: changing it
 * changes nothing else, not a later decision and not what the audit trail
 * recorded. A decision handed to a recorder is frozen first.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAuditTrail, type DecisionRecorder, memorySink } from '../../src/audit.js';
import { createGuard, type Decision } from '../../src/index.js';
import { renderContext, worldArb } from './arbitraries.js';
import { params, TIMEOUT } from './config.js';
import { build, catalogueOf, loose } from './helpers.js';

/** The objects a decision holds (itself, its law, its record, exception or monitored deny), depth first. */
function parts(d: unknown, out: object[] = []): object[] {
  if (typeof d !== 'object' || d === null) return out;
  out.push(d);
  for (const key of ['law', 'record', 'exception', 'denied']) parts((d as Record<string, unknown>)[key], out);
  return out;
}

/** Writes over every own field of every unfrozen part, as a careless caller might. */
function scribble(d: Decision): void {
  for (const part of parts(d)) {
    if (Object.isFrozen(part)) continue;
    for (const key of Object.keys(part)) Reflect.set(part, key, 'scribbled');
  }
}

const snapshot = (d: Decision): unknown => JSON.parse(JSON.stringify(d));

describe('decisions are frozen, or their caller’s alone', () => {
  it('a decision returned twice is frozen throughout; a new one shares nothing unfrozen, and scribbling on it changes no later decision', () => {
    let built = 0;
    fc.assert(
      fc.property(worldArb, (w) => {
        const { guard, context } = build(w);
        const a = guard.checkUse(w.subject, w.purpose, context);
        const b = guard.checkUse(w.subject, w.purpose, context);
        const expected = snapshot(b);
        if (a === b) {
          for (const part of parts(a)) expect(Object.isFrozen(part)).toBe(true);
          return;
        }
        built++;
        const shared = new Set(parts(b));
        for (const part of parts(a)) if (shared.has(part)) expect(Object.isFrozen(part)).toBe(true);
        scribble(a);
        expect(snapshot(b)).toEqual(expected);
        expect(snapshot(guard.checkUse(w.subject, w.purpose, context))).toEqual(expected);
      }),
      params(0x5eed_0a11),
    );
    // The property is about the decisions built per call: the generated worlds must reach them.
    expect(built).toBeGreaterThan(100);
  }, TIMEOUT);

  it('a decision handed to a recorder is frozen throughout, so what the trail keeps cannot be changed afterwards', async () => {
    let built = 0;
    await fc.assert(
      fc.asyncProperty(worldArb, async (w) => {
        const memory = memorySink();
        const received: Decision[] = [];
        const catalogue = catalogueOf(w.spec);
        const trail = createAuditTrail({ catalogue, sinks: [memory], clock: () => new Date(w.clock) });
        const recorder: DecisionRecorder = {
          record: (d, context, meta, enforced) => {
            received.push(d);
            return trail.record(d, context, meta, enforced);
          },
        };
        const guard = loose(createGuard(catalogue, { clock: () => w.clock, recorder }));
        const context = renderContext(w.context, w.styles);
        const d = guard.checkUse(w.subject, w.purpose, context);
        const later = await guard.checkUseAsync(w.subject, w.purpose, context);
        expect(received).toHaveLength(2);
        for (const r of received) for (const part of parts(r)) expect(Object.isFrozen(part)).toBe(true);
        if (d !== later) built++;
        const recorded = JSON.stringify(memory.events());
        scribble(d);
        scribble(later);
        expect(JSON.stringify(memory.events())).toBe(recorded);
      }),
      params(0x5eed_0a12, { numRuns: 2_000 }),
    );
    expect(built).toBeGreaterThan(10);
  }, TIMEOUT);
});
