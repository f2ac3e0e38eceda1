import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterAll, expect } from 'vitest';
import { createGuard, defaultCatalogue, PurposeViolationError, type Decision } from '../../../src/index.js';
import { PurposeGuardPlugin } from '../../../src/integrations/kysely/index.js';

/** The tables of the SQLite database each Kysely test file opens. */
export interface DB {
  customers: { id: string; name: string; email: string; card_last4: string; secret_score: number };
  orders: { id: string; customer_id: string; total: number };
  settings: { key: string; value: string };
}

/** What `openDatabase` gives a test file. */
export interface TestDatabase {
  readonly sqlite: Database.Database;
  readonly setup: (extra?: { unlisted?: 'passthrough'; raw?: 'passthrough' }) => { db: Kysely<DB>; decisions: Decision[] };
  readonly denied: (run: () => Promise<unknown>) => Promise<{ reason: string; statements: number }>;
  readonly statements: () => number;
}

/** A fresh in-memory database per test file; `statements()` counts what reaches SQLite (Kysely's driver prepares every statement it runs). */
export function openDatabase(): TestDatabase {
  const sqlite: Database.Database = new Database(':memory:');
  sqlite.exec(`
    CREATE TABLE customers (id TEXT PRIMARY KEY, name TEXT, email TEXT, card_last4 TEXT, secret_score INTEGER);
    CREATE TABLE orders (id TEXT PRIMARY KEY, customer_id TEXT, total INTEGER);
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT);
    INSERT INTO customers VALUES ('c-1', 'Aiko', 'aiko@example.jp', '4242', 7), ('c-2', 'Bruno', 'bruno@example.com', '1881', 3);
    INSERT INTO orders VALUES ('o-1', 'c-1', 120);
    INSERT INTO settings VALUES ('theme', 'dark');
  `);
  let count = 0;
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((source: string) => {
    count++;
    return prepare(source);
  }) as typeof sqlite.prepare;
  afterAll(() => sqlite.close());

  /** A Kysely over the database with the plugin mapping customers and orders; every decision the guard records lands in `decisions`. */
  function setup(extra: { unlisted?: 'passthrough'; raw?: 'passthrough' } = {}) {
    const decisions: Decision[] = [];
    const guard = createGuard(defaultCatalogue, { recorder: { record: (d) => void decisions.push(d) } });
    const plugin = new PurposeGuardPlugin({
      guard,
      tables: {
        customers: { subject: 'customer', columns: { id: 'account', name: 'identity', email: 'contact', card_last4: 'payment' } },
        orders: { subject: 'customer', columns: { id: 'transaction', customer_id: 'account', total: 'transaction' } },
      },
      ...extra,
    });
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }), plugins: [plugin] });
    return { db, decisions };
  }

  /** Runs a call that must be refused; returns the reason and how many statements reached SQLite meanwhile. */
  async function denied(run: () => Promise<unknown>): Promise<{ reason: string; statements: number }> {
    const before = count;
    const error = await run().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(PurposeViolationError);
    return { reason: (error as PurposeViolationError).reason, statements: count - before };
  }

  return { sqlite, setup, denied, statements: () => count };
}
