import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { APPLICANTS, CLIENTS, CONSENTS, CUSTOMERS, EMPLOYEES, SCHEMA, SHAREHOLDERS } from './seed.js';

/** Where the demo keeps its database by default (gitignored). */
export const DEFAULT_DATABASE_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', '.data', 'service.db');

/** A better-sqlite3 database that counts the statements it executes. */
export interface ServiceDatabase {
  readonly db: Database.Database;
  readonly path: string;
  /** Statements executed (get, all, run, iterate) since the database was opened, in all tables or in one. */
  readonly queries: (table?: string) => number;
  /** The tables of every statement executed so far, in order (one entry per execution). */
  readonly log: readonly string[];
  readonly close: () => void;
}

/**
 * Creates the demo database afresh at `path`: the five tables, seeded with fake people.
 * Every statement prepared through `db.prepare` is counted when it runs, which is
 * how the tests prove that a denied call touches nothing.
 *
 * @example
 * const { db, queries } = openServiceDatabase('/tmp/demo.db');
 */
export function openServiceDatabase(path: string = DEFAULT_DATABASE_PATH): ServiceDatabase {
  mkdirSync(dirname(path), { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(SCHEMA);
  const insert = (table: string, rows: readonly (readonly unknown[])[]): void => {
    const first = rows[0];
    if (first === undefined) return;
    const statement = db.prepare(`INSERT INTO ${table} VALUES (${first.map(() => '?').join(', ')})`);
    for (const row of rows) statement.run(...row);
  };
  db.transaction(() => {
    insert('customers', CUSTOMERS);
    insert('consents', CONSENTS);
    insert('clients', CLIENTS);
    insert('shareholders', SHAREHOLDERS);
    insert('applicants', APPLICANTS);
    insert('employees', EMPLOYEES);
  })();

  const log: string[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    const statement = prepare(sql);
    const table = /\b(?:FROM|INTO|UPDATE)\s+(\w+)/i.exec(sql)?.[1] ?? '?';
    for (const method of ['get', 'all', 'run', 'iterate'] as const) {
      const original = statement[method].bind(statement) as (...args: unknown[]) => unknown;
      (statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        log.push(table);
        return original(...args);
      };
    }
    return statement;
  }) as typeof db.prepare;
  const queries = (table?: string): number => (table === undefined ? log.length : log.filter((t) => t === table).length);
  return { db, path, queries, log, close: () => db.close() };
}
