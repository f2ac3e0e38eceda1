/**
 * Agreement: permittedPurposes, checkUse and a guarded repository call give
 * the same answer for the same subject, purpose and context.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createGuard, type Decision, PurposeViolationError } from '../../src/index.js';
import { guardRepository, runWithPurpose } from '../../src/node.js';
import { defaultWorldArb, renderContext, worldArb } from './arbitraries.js';
import { params, TIMEOUT } from './config.js';
import { catalogueOf, guardOf } from './helpers.js';

describe('agreement', () => {
  it('permittedPurposes lists exactly the purposes checkUse allows, in catalogue order', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(fc.oneof(worldArb, defaultWorldArb), (w) => {
        const context = renderContext(w.context, w.styles);
        const guard = guardOf(w.spec, w.clock);
        const expected = Object.keys(catalogueOf(w.spec).purposes).filter((p) => guard.checkUse(w.subject, p, context).allowed);
        expect(guard.permittedPurposes(w.subject, context)).toEqual(expected);
      }),
      params(11001),
    );
  });

  it('a guarded repository call (sync and async) runs iff checkUse allows, and a refusal carries the same decision', { timeout: TIMEOUT }, async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, async (w) => {
        // Declared subjects only: a repository spec naming an undeclared subject is refused at wrap time.
        fc.pre(Object.hasOwn(w.spec.subjects, w.subject));
        const context = renderContext(w.context, w.styles);
        const catalogue = catalogueOf(w.spec);
        const guard = createGuard(catalogue, { clock: () => new Date(w.clock) });
        const expected = (guard.checkUse as (s: string, p: string, c?: unknown) => Decision)(w.subject, w.purpose, context);
        let ran = 0;
        const repo = guardRepository(
          { touch: () => ++ran, touchAsync: async () => ++ran },
          { touch: { subject: w.subject, operation: 'read' }, touchAsync: { subject: w.subject, operation: 'read' } } as never,
          { guard: guard as never },
        );
        const calls: (() => unknown)[] = [() => repo.touch(), () => repo.touchAsync()];
        for (const call of calls) {
          const before = ran;
          let refusal: unknown;
          try {
            await runWithPurpose({ ...context, purpose: w.purpose } as never, call);
          } catch (error) {
            refusal = error;
          }
          if (expected.allowed) {
            expect(refusal).toBeUndefined();
            expect(ran).toBe(before + 1);
          } else {
            expect(refusal).toBeInstanceOf(PurposeViolationError);
            expect((refusal as PurposeViolationError).decision).toEqual(expected);
            expect(ran).toBe(before);
          }
        }
      }),
      params(11002),
    );
  });
});
