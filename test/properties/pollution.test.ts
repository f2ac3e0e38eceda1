/**
 * A polluted Object.prototype or Array.prototype (set in each case and removed
 * after it) never turns a deny into an allow, for a guard compiled before the
 * pollution or under it, then or once the pollution is gone. In a file of its own: writing to Object.prototype
 * slows every object in the process down for a while.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createGuard, type Decision, parseCatalogue } from '../../src/index.js';
import { defaultWorldArb, renderContext, type World, worldArb } from './arbitraries.js';
import { params, RUNS, TIMEOUT } from './config.js';
import { guardOf, loose, prototypeSnapshot } from './helpers.js';

/**
 * Worlds drawn once, up front: while the prototypes are being written to, every
 * object operation in the process is slower (V8 drops its prototype caches), and
 * generating a fresh world per case under that regime would dominate the run.
 * Each case pairs one of them with its own pollution.
 */
const POOL: readonly World[] = fc.sample(fc.oneof({ weight: 4, arbitrary: worldArb }, { weight: 1, arbitrary: defaultWorldArb }), {
  numRuns: Math.max(1, Math.min(2000, RUNS)),
  seed: 10_004,
});

describe('no pollution', () => {
  const before = prototypeSnapshot();
  afterEach(() => {
    expect(prototypeSnapshot()).toEqual(before);
  });

  /** Names a polluter would pick: every field the guard reads, ids, and answers it might want. */
  const KEYS = [
    'now', 'consents', 'objections', 'dataCategories', 'collectedFor', 'relationshipEndedAt', 'exception', 'actor', 'subjectId',
    'purpose', 'grantedAt', 'withdrawnAt', 'expiresAt', 'id', 'at', 'ground', 'reference', 'consentImpracticable',
    'allowed', 'reason', 'requiresConsent', 'objectable', 'specialCare', 'academicResearchInstitution', 'retention', 'prohibited',
    'purposes', 'basis', 'compatibleWith', 'timeZone', 'subjects', 'title',
    // A retention duration's units and the guard's options: fields a catalogue or caller may leave out.
    'years', 'months', 'weeks', 'days', 'mode', 'clock', 'recorder', 'auditPolicy',
    's1', 's2', 'a', 'b', 'a.b', 'd1', 'customer', 'billing', 'marketing', 'health', '0', '1',
  ];
  const VALUES: readonly (() => unknown)[] = [
    () => true,
    () => false,
    () => [],
    () => ({}),
    () => 'permitted',
    () => '2000-01-01T00:00:00Z',
    () => ({ ground: 'laws_and_regulations', reference: 'Act' }),
    () => [{ purpose: 'a', grantedAt: '2000-01-01T00:00:00Z' }],
    () => ({ title: 'Polluted', purposes: { a: 'x' } }),
    () => 'text',
    () => 'monitor',
    () => 5,
    () => () => 0,
  ];

  it('a polluted Object.prototype or Array.prototype never turns a deny into an allow', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(
        fc.nat(POOL.length - 1),
        fc.uniqueArray(fc.tuple(fc.constantFrom(...KEYS), fc.nat(VALUES.length - 1), fc.boolean()), { minLength: 1, maxLength: 4, selector: ([k]) => k }),
        (index, pollution) => {
          const w = POOL[index] as World;
          const context = renderContext(w.context, w.styles);
          const clean = guardOf(w.spec, w.clock);
          // Small generated catalogues only: compiling the default one each case would dominate the run.
          const small = Object.keys(w.spec.purposes).length < 10;
          // Parsed before the pollution, as a service loads its catalogue, and compiled under it below.
          const parsed = small ? parseCatalogue(w.spec) : undefined;
          const decision = clean.checkUse(w.subject, w.purpose, context);
          const permitted = clean.permittedPurposes(w.subject, context);
          const planted: [object, string][] = [];
          // Array.prototype is itself an array: an index planted on it grows its length, which delete does not undo.
          const arrayLength = Array.prototype.length;
          let compiledUnderPollution: ReturnType<typeof loose> | undefined;
          let parsedUnderPollution: ReturnType<typeof loose> | undefined;
          let polluted: Decision | undefined;
          let pollutedPermitted: readonly string[] = [];
          let fresh: Decision | undefined;
          try {
            for (const [key, v, onArray] of pollution) {
              const target = onArray && /^\d$/.test(key) ? Array.prototype : Object.prototype;
              // Plain assignment, as a prototype-pollution bug would do it: enumerable.
              (target as Record<string, unknown>)[key] = (VALUES[v] as () => unknown)();
              planted.push([target, key]);
            }
            polluted = clean.checkUse(w.subject, w.purpose, context);
            pollutedPermitted = clean.permittedPurposes(w.subject, context);
            if (parsed !== undefined) compiledUnderPollution = loose(createGuard(parsed, { clock: () => new Date(w.clock) }));
            try {
              if (small) parsedUnderPollution = loose(createGuard(parseCatalogue(w.spec), { clock: () => new Date(w.clock) }));
            } catch {
              // Refusing to parse under pollution is failing closed.
            }
            fresh = compiledUnderPollution?.checkUse(w.subject, w.purpose, context);
          } finally {
            for (const [target, key] of planted) delete (target as Record<string, unknown>)[key];
            Array.prototype.length = arrayLength;
          }
          // Guards compiled under the pollution, asked again once it is gone: nothing of it may have been kept.
          const after = compiledUnderPollution?.checkUse(w.subject, w.purpose, context);
          const afterParsed = parsedUnderPollution?.checkUse(w.subject, w.purpose, context);
          // Plain booleans rather than expect(): this runs 10,000 times in a slowed-down process.
          if (!decision.allowed && (polluted?.allowed !== false || fresh?.allowed === true || after?.allowed === true || afterParsed?.allowed === true)) return false;
          return pollutedPermitted.every((p) => permitted.includes(p));
        },
      ),
      params(10003),
    );
  });
});
