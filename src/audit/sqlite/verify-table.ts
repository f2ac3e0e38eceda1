import type Database from 'better-sqlite3';
import { ChainVerifier, type VerifyOptions, type VerifyResult } from '../chain.js';
import type { DecisionEvent } from '../event.js';
import { DEFAULT_AUDIT_TABLE, EVENT_COLUMNS, eventColumns, TABLE_NAME } from './columns.js';

/**
 * Verifies the audit table of an open database. Imports `better-sqlite3` for
 * its types only, so callers that open the database themselves (the CLI,
 * lazily) do not load the optional peer at start-up.
 *
 * @example
 * verifySqliteTable(db, { table: 'purpose_guard_audit' }).intact;
 */
export function verifySqliteTable(db: Database.Database, options: VerifyOptions & { readonly table?: string | undefined } = {}): VerifyResult {
  const verifier = new ChainVerifier();
  const table = options.table ?? DEFAULT_AUDIT_TABLE;
  if (!TABLE_NAME.test(table)) {
    verifier.next(undefined, { reason: 'unreadable', message: `invalid table name ${JSON.stringify(table)}` });
    return verifier.result(options);
  }
  try {
    const rows = db.prepare(`SELECT idx, kind, body, prev, hash, ${EVENT_COLUMNS.join(', ')} FROM "${table}" ORDER BY idx`).iterate() as IterableIterator<
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
        const off = EVENT_COLUMNS.find((c) => columns[c] !== row[c]);
        if (off !== undefined) {
          verifier.next(undefined, { reason: 'column_mismatch', message: `row ${row.idx}: column ${off} was edited (it no longer matches the hashed body)` });
          break;
        }
      }
      if (!verifier.next({ [row.kind]: body, prev: row.prev, hash: row.hash })) break;
    }
  } catch (error) {
    verifier.next(undefined, { reason: 'unreadable', message: `cannot read table ${table}: ${(error as Error).message}` });
  }
  return verifier.result(options);
}
