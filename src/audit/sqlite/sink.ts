import Database from 'better-sqlite3';
import { ChainVerifier, GENESIS_HASH, linkRecord, type SealBody } from '../chain.js';
import { AuditLogError } from '../errors.js';
import type { DecisionEvent } from '../event.js';
import type { AuditSink } from '../sinks/sink.js';
import { DEFAULT_AUDIT_TABLE, eventColumns, sealColumns, TABLE_NAME } from './columns.js';


/** Options of `sqliteSink`. */
export interface SqliteSinkOptions {
  /**
   * A file name to open, or an open better-sqlite3 database (its pragmas decide durability) that the
   * application does not use for its own transactions: writes fail while it is inside one.
   */
  readonly database: Database.Database | string;
  /** Table name (`[A-Za-z_][A-Za-z0-9_]*`); created if missing. Default `purpose_guard_audit`. */
  readonly table?: string | undefined;
  /** The head hash the table must end with (published by the previous session); opening fails if it does not. */
  readonly expectedHead?: string | undefined;
  /** Time source of seal records. */
  readonly clock?: (() => Date) | undefined;
}

/** A hash-chained SQLite sink. */
export interface SqliteSink extends AuditSink {
  head(): { readonly records: number; readonly hash: string };
  /** Appends a seal row; closes the database only if the sink opened it. */
  close(): void;
}

/**
 * Writes events to an SQLite table, one row each, hash-chained like the JSON
 * Lines sink (`body` is the event's RFC 8785 JSON, `kind` says event or seal,
 * `hash = chainHash(kind, body, prev)`),
 * with the fields privacy teams filter on as columns. Synchronous: the row is
 * committed before `write` returns (durability per your `journal_mode` and
 * `synchronous` pragmas; a file name opened here gets WAL and `synchronous = FULL`).
 * On open it continues the chain from the last row, after checking its hash.
 * Give it its own connection: it refuses to write inside a transaction, which
 * could roll an acknowledged row back (see the README, "Sinks").
 *
 * @example
 * import Database from 'better-sqlite3';
 * const sink = sqliteSink({ database: new Database('app.db') }); // a connection of its own, not the app's
 * const trail = createAuditTrail({ catalogue, sinks: [sink] });
 */
export function sqliteSink(options: SqliteSinkOptions): SqliteSink {
  const table = options.table ?? DEFAULT_AUDIT_TABLE;
  if (!TABLE_NAME.test(table)) throw new AuditLogError(`invalid audit table name ${JSON.stringify(table)}`);
  const owned = typeof options.database === 'string';
  const db = typeof options.database === 'string' ? new Database(options.database) : options.database;
  if (owned) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
  }
  const clock = options.clock ?? (() => new Date());
  db.exec(`CREATE TABLE IF NOT EXISTS "${table}" (
    idx INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('event', 'seal')),
    decision_id TEXT,
    seq INTEGER,
    at TEXT NOT NULL,
    subject TEXT,
    purpose TEXT,
    allowed INTEGER,
    reason TEXT,
    mode TEXT,
    body TEXT NOT NULL,
    prev TEXT NOT NULL,
    hash TEXT NOT NULL
  ) STRICT`);
  const last = db.prepare(`SELECT idx, kind, body, prev, hash FROM "${table}" ORDER BY idx DESC LIMIT 1`).get() as
    | { idx: number; kind: string; body: string; prev: string; hash: string }
    | undefined;
  let prev = GENESIS_HASH;
  let records = 0;
  if (last !== undefined) {
    const check = new ChainVerifier(last.prev);
    let body: unknown;
    try {
      body = JSON.parse(last.body);
    } catch {
      body = undefined;
    }
    if (!check.next({ [last.kind]: body, prev: last.prev, hash: last.hash }, { body: last.body })) {
      throw new AuditLogError(`table ${table}: the last row does not verify: check it with verifySqliteAuditLog before appending`);
    }
    prev = last.hash;
    records = last.idx + 1;
  }
  if (options.expectedHead !== undefined && options.expectedHead !== prev) {
    throw new AuditLogError(`table ${table} ends with hash ${prev}, not the expected head ${options.expectedHead}: it was cut or rewritten since`);
  }
  const insert = db.prepare(
    `INSERT INTO "${table}" (idx, kind, decision_id, seq, at, subject, purpose, allowed, reason, mode, body, prev, hash)
     VALUES (@idx, @kind, @decision_id, @seq, @at, @subject, @purpose, @allowed, @reason, @mode, @body, @prev, @hash)`,
  );
  let sessionRecords = 0;
  let closed = false;

  const append = (kind: 'event' | 'seal', body: Record<string, unknown>, columns: Record<string, unknown>): void => {
    if (closed) throw new AuditLogError(`table ${table}: the sink is closed`);
    // The row would commit or roll back with the application's transaction, after the trail acknowledged it.
    if (db.inTransaction) {
      throw new AuditLogError(
        `table ${table}: the database connection is inside a transaction, which could roll the event back after it was acknowledged: give the sink its own connection (sqliteSink({ database: 'app.db' }))`,
      );
    }
    const { body: text, hash } = linkRecord(kind, body, prev);
    insert.run({ idx: records, kind, body: text, prev, hash, ...columns });
    prev = hash;
    records++;
    sessionRecords++;
  };

  return {
    name: `sqlite:${table}`,
    write(event: DecisionEvent) {
      append('event', event as unknown as Record<string, unknown>, eventColumns(event));
    },
    close() {
      if (closed) return;
      const seal: SealBody = { at: clock().toISOString(), records: sessionRecords };
      append('seal', seal as unknown as Record<string, unknown>, sealColumns(seal));
      closed = true;
      if (owned) db.close();
    },
    head: () => ({ records, hash: prev }),
  };
}
