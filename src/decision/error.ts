import type { DenyDecision } from './types.js';

/**
 * Thrown by `assertUse` and guarded repositories when a use is denied. Carries
 * the whole decision; its message holds no personal data, so it may be logged.
 *
 * @example
 * try {
 *   guard.assertUse('employee', purpose);
 * } catch (error) {
 *   if (error instanceof PurposeViolationError) console.warn(error.decision.reason);
 * }
 */
export class PurposeViolationError extends Error {
  override readonly name = 'PurposeViolationError' as const;
  readonly decision: DenyDecision;

  constructor(decision: DenyDecision) {
    super(`Purpose violation [${decision.reason}]: ${decision.message}`);
    this.decision = decision;
  }

  /** The machine-readable reason, for matching without reaching into `decision`. */
  get reason(): DenyDecision['reason'] {
    return this.decision.reason;
  }
}
