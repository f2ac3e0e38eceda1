import type { DenyDecision, DenyReason } from '../decision/types.js';

/**
 * An RFC 9457 problem details body for a denied use. Built from the decision's
 * reason, rule and message only, never from the context or the request, so it
 * carries no personal data.
 *
 * @example
 * res.status(problem.status).type('application/problem+json').json(problem);
 */
export interface PurposeProblem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  /** Extension members (RFC 9457 §3.2): the machine-readable reason and where the decision came from. */
  readonly reason: DenyReason;
  readonly subject: string;
  readonly purpose: string;
  readonly rule: string;
  readonly step: string;
}

/**
 * Options for `toProblem`.
 *
 * @example
 * toProblem(decision, { type: (reason) => `https://errors.example.com/privacy/${reason}` });
 */
export interface ProblemOptions {
  /** The `type` URI for a reason. Default `urn:purpose-guard:<reason>`. */
  readonly type?: ((reason: DenyReason) => string) | undefined;
  /** The HTTP status for a reason. Default 503 for `audit_unavailable` (the server cannot record, retry later), 403 otherwise. */
  readonly status?: ((reason: DenyReason) => number) | undefined;
}

/**
 * The media type of problem details responses (RFC 9457).
 *
 * @example
 * res.type(PROBLEM_CONTENT_TYPE);
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * The problem details body for a denied decision.
 *
 * @example
 * toProblem(error.decision); // { type: 'urn:purpose-guard:purpose_not_permitted', status: 403, ... }
 */
export function toProblem(decision: DenyDecision, options: ProblemOptions = {}): PurposeProblem {
  const reason = decision.reason;
  return {
    type: options.type?.(reason) ?? `urn:purpose-guard:${reason}`,
    title: reason === 'audit_unavailable' ? 'Audit trail unavailable' : 'Purpose limitation: use denied',
    status: options.status?.(reason) ?? (reason === 'audit_unavailable' ? 503 : 403),
    detail: decision.message,
    reason,
    subject: decision.subject,
    purpose: decision.purpose,
    rule: decision.rule,
    step: decision.step,
  };
}

/**
 * The deny carried by a `PurposeViolationError`, recognised by shape as well as
 * by class, so an error from a second copy of the package (ESM and CJS loaded
 * side by side) is still turned into a 403, not a 500.
 *
 * @example
 * const decision = violationOf(error);
 * if (decision) reply.code(403).send(toProblem(decision));
 */
export function violationOf(error: unknown): DenyDecision | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { name?: unknown; decision?: unknown };
  if (e.name !== 'PurposeViolationError' || typeof e.decision !== 'object' || e.decision === null) return undefined;
  const d = e.decision as Partial<DenyDecision>;
  return d.allowed === false && typeof d.reason === 'string' && typeof d.message === 'string' ? (d as DenyDecision) : undefined;
}
