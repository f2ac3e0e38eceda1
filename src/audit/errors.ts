/** What went wrong with an audit record. */
export type AuditErrorKind = 'sink_failed' | 'timeout' | 'buffer_full' | 'closed' | 'deadline';

/**
 * An event could not be recorded (or a flush/close missed its deadline).
 * The strict policy turns it into an `audit_unavailable` deny; the
 * best-effort policy hands it to `onAuditError`.
 *
 * @example
 * createAuditTrail({ catalogue, sinks, policy: 'best_effort', onAuditError: (e) => metrics.inc(e.kind) });
 */
export class AuditError extends Error {
  override readonly name = 'AuditError' as const;
  readonly kind: AuditErrorKind;
  /** The sink that failed, when one did. */
  readonly sink: string | undefined;
  /** The event concerned (never personal data). */
  readonly decisionId: string | undefined;

  constructor(kind: AuditErrorKind, message: string, options: { sink?: string | undefined; decisionId?: string | undefined; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.sink = options.sink;
    this.decisionId = options.decisionId;
  }
}

/**
 * A hash-chained log cannot be opened or appended to safely (partial last
 * record, unexpected head, failed write).
 *
 * @example
 * try { jsonlSink({ path }); } catch (e) { if (e instanceof AuditLogError) alertOnCall(e.message); }
 */
export class AuditLogError extends Error {
  override readonly name = 'AuditLogError' as const;
}
