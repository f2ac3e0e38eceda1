/**
 * `purpose-guard/audit/sqlite`: the hash-chained SQLite audit sink and its
 * verifier. The only entry that loads `better-sqlite3` (an optional peer).
 *
 * @packageDocumentation
 */
export { DEFAULT_AUDIT_TABLE, EVENT_COLUMNS, eventColumns } from './audit/sqlite/columns.js';
export { sqliteSink, type SqliteSink, type SqliteSinkOptions } from './audit/sqlite/sink.js';
export { verifySqliteTable } from './audit/sqlite/verify-table.js';
export { verifySqliteAuditLog } from './audit/sqlite/verify.js';
