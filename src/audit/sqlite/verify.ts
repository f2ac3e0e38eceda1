import Database from 'better-sqlite3';
import { verifySqliteTable } from './verify-table.js';
import { ChainVerifier, type VerifyOptions, type VerifyResult } from '../chain.js';

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
  if (typeof database !== 'string') return verifySqliteTable(database, options);
  let db: Database.Database;
  try {
    db = new Database(database, { readonly: true, fileMustExist: true });
  } catch (error) {
    const verifier = new ChainVerifier();
    verifier.stop('unreadable', `cannot open ${database}: ${(error as Error).message}`);
    return verifier.result(options);
  }
  try {
    return verifySqliteTable(db, options);
  } finally {
    db.close();
  }
}
