import type Database from 'better-sqlite3';
import { ChainVerifier, type SealBody, type VerifyOptions, type VerifyResult } from '../chain.js';
import type { DecisionEvent } from '../event.js';
import { DEFAULT_AUDIT_TABLE, EVENT_COLUMNS, eventColumns, sealColumns, TABLE_NAME } from './columns.js';

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
    verifier.stop('unreadable', `invalid table name ${JSON.stringify(table)}`);
    return verifier.result(options);
  }
  try {
    const rows = db.prepare(`SELECT idx, kind, body, prev, hash, ${EVENT_COLUMNS.join(', ')} FROM "${table}" ORDER BY idx`).iterate() as IterableIterator<
      Record<string, unknown> & { idx: number; kind: string; body: string; prev: string; hash: string }
    >;
    let expected = 0;
    for (const row of rows) {
      if (row.idx !== expected) {
        verifier.stop('missing', `row ${expected} is missing (the next row is ${row.idx}): it was deleted`);
        break;
      }
      expected++;
      let body: unknown;
      try {
        body = JSON.parse(row.body);
      } catch {
        verifier.stop('malformed', `row ${row.idx}: the body is not JSON`);
        break;
      }
      if ((row.kind === 'event' || row.kind === 'seal') && typeof body === 'object' && body !== null) {
        const columns = row.kind === 'event' ? eventColumns(body as DecisionEvent) : sealColumns(body as SealBody);
        const off = EVENT_COLUMNS.find((c) => columns[c] !== row[c]);
        if (off !== undefined) {
          verifier.stop('column_mismatch', `row ${row.idx}: column ${off} was edited (it no longer matches the hashed body)`);
          break;
        }
      }
      // The body column as stored, not only what it parses to: SQL's json_extract reads the text, not JSON.parse's view of it.
      if (!verifier.next({ [row.kind]: body, prev: row.prev, hash: row.hash }, { body: row.body })) break;
    }
  } catch (error) {
    verifier.stop('unreadable', `cannot read table ${table}: ${(error as Error).message}`);
  }
  return verifier.result(options);
}
