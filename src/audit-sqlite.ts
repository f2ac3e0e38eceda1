/**
 * `purpose-guard/audit/sqlite`: the hash-chained SQLite audit sink and its
 * verifier. The only entry that loads `better-sqlite3` (an optional peer).
 *
 * @packageDocumentation
 */
export { DEFAULT_AUDIT_TABLE, sqliteSink, type SqliteSink, type SqliteSinkOptions } from './audit/sqlite/sink.js';
export { verifySqliteAuditLog } from './audit/sqlite/verify.js';
