import type { Decision } from '../decision/types.js';

/** How a guard acts on its decisions. */
export type GuardMode = 'enforce' | 'monitor';

/**
 * What happens when a decision cannot be recorded:
 * `strict` denies with `audit_unavailable` before data is touched;
 * `best_effort` lets the use proceed and reports the failure through `onAuditError`.
 */
export type AuditPolicy = 'strict' | 'best_effort';

/** Where a decision was taken, beyond subject and purpose: filled in by the wrappers. */
export interface DecisionMeta {
  /** The kind of data operation (`read`, `write`, `delete`...), from repository and ORM wrappers. */
  readonly operation?: string | undefined;
  /** The repository method or model operation (`CustomerRepo.findById`, `Customer.findMany`). */
  readonly method?: string | undefined;
  /** Which entry point decided: `checkUse`, `assertUse`, `checkUseAsync`, or a wrapper's name. */
  readonly via?: string | undefined;
}

/**
 * Receives every decision a guard takes, exactly once. Implemented by
 * `createAuditTrail` in `purpose-guard/audit`; the core only calls it.
 *
 * @example
 * const seen: Decision[] = [];
 * const recorder: DecisionRecorder = { record: (d) => void seen.push(d) };
 * createGuard(defaultCatalogue, { recorder });
 */
export interface DecisionRecorder {
  /**
   * Records a decision. Throw synchronously when it cannot even be accepted
   * (sink broken, buffer full); return a promise to report when the record is
   * acknowledged (written), rejecting if it never will be.
   *
   * @param decision The decision as taken (in monitor mode, the decision before monitoring).
   * @param context The caller's context as given; read `actor` and `subjectId` from it, never store it.
   */
  record(decision: Decision, context: unknown, meta: DecisionMeta, enforced: boolean): void | PromiseLike<void>;
}
