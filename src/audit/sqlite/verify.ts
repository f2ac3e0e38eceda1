import Database from 'better-sqlite3';
import { ChainVerifier, type VerifyOptions, type VerifyResult } from '../chain.js';
import type { DecisionEvent } from '../event.js';
import { DEFAULT_AUDIT_TABLE, eventColumns } from './sink.js';

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const COLUMNS = ['decision_id', 'seq', 'at', 'subject', 'purpose', 'allowed', 'reason', 'mode'] as const;

/**
 * Verifies an SQLite audit table written by `sqliteSink`, in `idx` order: a
 * missing `idx` (a deleted row), an edited body or hash, a body moved to
 * another row, or a column that no longer matches its hashed body is reported
 * at the first row concerned. See `verifyAuditLog` for what each check catches.
 *
 * @example
 * const result = verifySqliteAuditLog('app.db');
 * if (!result.intact) console.error(result.broken);
 */
export function verifySqliteAuditLog(
  database: Database.Database | string,
  options: VerifyOptions & { readonly table?: string | undefined } = {},
): VerifyResult {
  const verifier = new ChainVerifier();
  const table = options.table ?? DEFAULT_AUDIT_TABLE;
  if (!TABLE_NAME.test(table)) {
    verifier.next(undefined, { reason: 'unreadable', message: `invalid table name ${JSON.stringify(table)}` });
    return verifier.result(options);
  }
  let db: Database.Database;
  try {
    db = typeof database === 'string' ? new Database(database, { readonly: true, fileMustExist: true }) : database;
  } catch (error) {
    verifier.next(undefined, { reason: 'unreadable', message: `cannot open ${String(database)}: ${(error as Error).message}` });
    return verifier.result(options);
  }
  try {
    const rows = db.prepare(`SELECT idx, kind, body, prev, hash, ${COLUMNS.join(', ')} FROM "${table}" ORDER BY idx`).iterate() as IterableIterator<
      Record<string, unknown> & { idx: number; kind: string; body: string; prev: string; hash: string }
    >;
    let expected = 0;
    for (const row of rows) {
      if (row.idx !== expected) {
        verifier.next(undefined, { reason: 'missing', message: `row ${expected} is missing (the next row is ${row.idx}): it was deleted` });
        break;
      }
      expected++;
      let body: unknown;
      try {
        body = JSON.parse(row.body);
      } catch {
        verifier.next(undefined, { reason: 'malformed', message: `row ${row.idx}: the body is not JSON` });
        break;
      }
      if (row.kind === 'event' && typeof body === 'object' && body !== null) {
        const columns = eventColumns(body as DecisionEvent);
        const off = COLUMNS.find((c) => columns[c] !== row[c]);
        if (off !== undefined) {
          verifier.next(undefined, { reason: 'column_mismatch', message: `row ${row.idx}: column ${off} was edited (it no longer matches the hashed body)` });
          break;
        }
      }
      if (!verifier.next({ [row.kind]: body, prev: row.prev, hash: row.hash })) break;
    }
  } catch (error) {
    verifier.next(undefined, { reason: 'unreadable', message: `cannot read table ${table}: ${(error as Error).message}` });
  } finally {
    if (typeof database === 'string') db.close();
  }
  return verifier.result(options);
}
