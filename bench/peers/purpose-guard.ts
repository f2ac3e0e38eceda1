import { type Catalogue, createGuard, defaultCatalogue, type Guard } from '../../src/index.js';
import type { EngineFactory } from './engine.js';
import { NOW, type Query } from './workload.js';

// The guard's clock gives epoch milliseconds, as its default (`Date.now`) does in a service; a clock
// returning a `Date` is accepted too, and costs a read of the Date on every check that needs the time.
const NOW_MS = NOW.getTime();

/**
 * purpose-guard itself: `checkUse` on the default catalogue with the guard's
 * clock fixed at the workload's NOW. Returns the full, explaining Decision;
 * the loop reads `allowed` from it.
 *
 * @example
 * const engine = await purposeGuard(queries, policyFacts());
 */
export const purposeGuard: EngineFactory = (queries) => {
  // Widened to the untyped guard: the workload's ids are run-time strings, as in a real service.
  const guard: Guard = createGuard(defaultCatalogue as Catalogue, { clock: () => NOW_MS });
  return {
    name: 'purpose-guard checkUse',
    fidelity: 'idiomatic',
    mapping: 'The catalogue itself; the consents go in the context as they are; the guard\'s clock gives the fixed NOW in epoch ms, as its default Date.now does. Returns a full Decision (reason, rule, law, message).',
    verified: true,
    answers: async () => queries.map((q) => guard.checkUse(q.subject, q.purpose, q.context).allowed),
    count: () => {
      let n = 0;
      for (let i = 0; i < queries.length; i++) {
        const q = queries[i] as Query;
        if (guard.checkUse(q.subject, q.purpose, q.context).allowed) n++;
      }
      return n;
    },
  };
};
