import type { SealBody } from '../chain.js';
import type { DecisionEvent } from '../event.js';

/**
 * The default table of `sqliteSink`.
 *
 * @example
 * db.prepare(`SELECT * FROM ${DEFAULT_AUDIT_TABLE} WHERE allowed = 0`).all();
 */
export const DEFAULT_AUDIT_TABLE = 'purpose_guard_audit';

/**
 * Table names the SQLite sink accepts (they are spliced into SQL, so nothing else).
 *
 * @example
 * TABLE_NAME.test('purpose_guard_audit'); // true
 */
export const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * The queryable columns of an event row, derived from the hashed body.
 *
 * @example
 * db.prepare(`SELECT ${EVENT_COLUMNS.join(', ')} FROM purpose_guard_audit`).all();
 */
export const EVENT_COLUMNS = ['decision_id', 'seq', 'at', 'subject', 'purpose', 'allowed', 'reason', 'mode'] as const;

/**
 * The queryable columns of an event row; `verifySqliteAuditLog` checks they match the hashed body.
 *
 * @example
 * eventColumns(event).reason; // 'permitted'
 */
export function eventColumns(event: DecisionEvent): Record<(typeof EVENT_COLUMNS)[number], unknown> {
  return {
    decision_id: event.decisionId,
    seq: event.seq,
    at: event.at,
    subject: event.subject,
    purpose: event.purpose,
    allowed: event.allowed ? 1 : 0,
    reason: event.reason,
    mode: event.mode,
  };
}

/**
 * The columns of a seal row: its time, and no event fields, so a query on the
 * event columns never counts a seal; `verifySqliteAuditLog` checks both.
 *
 * @example
 * sealColumns({ at: '2026-11-24T00:00:00.000Z', records: 3 }).allowed; // null
 */
export function sealColumns(seal: SealBody): Record<(typeof EVENT_COLUMNS)[number], unknown> {
  return { decision_id: null, seq: null, at: seal.at, subject: null, purpose: null, allowed: null, reason: null, mode: null };
}
