import type { DecisionMeta } from '../../src/audit/types.js';
import { createGuard, defaultCatalogue, type Decision } from '../../src/index.js';

/** One recorded decision: what the recorder was given, and how many denials had reached the error handler when it was acknowledged. */
export interface Recorded {
  readonly decision: Decision;
  readonly context: unknown;
  readonly meta: DecisionMeta;
  readonly answeredBefore: number;
}

/**
 * A guard whose recorder acknowledges each record only after the event loop
 * has turned (setImmediate). The test's error handler counts the denials it
 * answers in `counter.answered`: a denial answered only once its record is
 * acknowledged was acknowledged before the count included it.
 */
export function auditedGuard(counter: { answered: number } = { answered: 0 }) {
  const recorded: Recorded[] = [];
  const guard = createGuard(defaultCatalogue, {
    recorder: {
      record: (decision, context, meta) =>
        new Promise<void>((resolve) => {
          setImmediate(() => {
            recorded.push({ decision, context, meta, answeredBefore: counter.answered });
            resolve();
          });
        }),
    },
  });
  return { guard, recorded, counter };
}
