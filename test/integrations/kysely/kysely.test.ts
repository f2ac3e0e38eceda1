import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterAll, describe, expect, test } from 'vitest';
import { createGuard, defaultCatalogue, PurposeViolationError, type Decision } from '../../../src/index.js';
import { PurposeGuardPlugin } from '../../../src/integrations/kysely/index.js';
import { runWithPurpose } from '../../../src/node.js';

interface DB {
  customers: { id: string; name: string; email: string; card_last4: string; secret_score: number };
  orders: { id: string; customer_id: string; total: number };
  settings: { key: string; value: string };
}

const sqlite = new Database(':memory:');
sqlite.exec(`
  CREATE TABLE customers (id TEXT PRIMARY KEY, name TEXT, email TEXT, card_last4 TEXT, secret_score INTEGER);
  CREATE TABLE orders (id TEXT PRIMARY KEY, customer_id TEXT, total INTEGER);
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT);
  INSERT INTO customers VALUES ('c-1', 'Aiko', 'aiko@example.jp', '4242', 7), ('c-2', 'Bruno', 'bruno@example.com', '1881', 3);
  INSERT INTO orders VALUES ('o-1', 'c-1', 120);
  INSERT INTO settings VALUES ('theme', 'dark');
`);
// Count what reaches SQLite: Kysely's SQLite driver prepares every statement it runs.
let statements = 0;
const prepare = sqlite.prepare.bind(sqlite);
sqlite.prepare = ((source: string) => {
  statements++;
  return prepare(source);
}) as typeof sqlite.prepare;
afterAll(() => sqlite.close());

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

async function denied(run: () => Promise<unknown>): Promise<{ reason: string; statements: number }> {
  const before = statements;
  const error = await run().then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(PurposeViolationError);
  return { reason: (error as PurposeViolationError).reason, statements: statements - before };
}

describe('purpose-guard/kysely against SQLite', () => {
  test('selectAll under customer-support: allowed, rows minimised (no card, no unmapped column)', async () => {
    const { db, decisions } = setup();
    const before = statements;
    const rows = await runWithPurpose({ purpose: 'customer-support' }, () => db.selectFrom('customers').selectAll().orderBy('id').execute());
    expect(statements - before).toBe(1); // the counter sees what reaches SQLite
    expect(rows).toEqual([
      { id: 'c-1', name: 'Aiko', email: 'aiko@example.jp' },
      { id: 'c-2', name: 'Bruno', email: 'bruno@example.com' },
    ]);
    expect(decisions.at(-1)).toMatchObject({ allowed: true, subject: 'customer', purpose: 'customer-support' });
  });

  test('billing gets the card column', async () => {
    const { db } = setup();
    const row = await runWithPurpose({ purpose: 'billing' }, () => db.selectFrom('customers').select(['id', 'card_last4']).where('id', '=', 'c-1').executeTakeFirst());
    expect(row).toEqual({ id: 'c-1', card_last4: '4242' });
  });

  test('denials happen before the statement reaches SQLite', async () => {
    const { db } = setup();
    expect(await denied(() => db.selectFrom('customers').selectAll().execute())).toEqual({ reason: 'no_purpose_in_scope', statements: 0 });
    expect(await denied(() => runWithPurpose({ purpose: 'employment.administration' }, () => db.selectFrom('customers').select('name').execute()))).toEqual({ reason: 'purpose_not_permitted', statements: 0 });
    expect(await denied(() => runWithPurpose({ purpose: 'customer-support' }, () => db.selectFrom('customers').select('card_last4').execute()))).toEqual({ reason: 'data_category_not_permitted', statements: 0 });
    expect(await denied(() => runWithPurpose({ purpose: 'customer-support' }, () => db.selectFrom('customers').select('id').where('card_last4', '=', '4242').execute()))).toEqual({ reason: 'data_category_not_permitted', statements: 0 });
    expect(await denied(() => runWithPurpose({ purpose: 'billing' }, () => db.selectFrom('customers').select('secret_score').execute()))).toEqual({ reason: 'data_category_not_permitted', statements: 0 });
    expect(await denied(() => runWithPurpose({ purpose: 'customer-support' }, () => db.updateTable('customers').set({ card_last4: '0000' }).where('id', '=', 'c-1').execute()))).toEqual({ reason: 'data_category_not_permitted', statements: 0 });
    expect(await denied(() => runWithPurpose({ purpose: 'billing' }, () => db.selectFrom('settings').selectAll().execute()))).toEqual({ reason: 'invalid_input', statements: 0 });
    expect(await denied(() => runWithPurpose({ purpose: 'billing' }, () => sql`SELECT * FROM customers`.execute(db)))).toEqual({ reason: 'invalid_input', statements: 0 });
  });

  test('the card stays unchanged after a denied update', async () => {
    const { db } = setup();
    await denied(() => runWithPurpose({ purpose: 'customer-support' }, () => db.updateTable('customers').set({ card_last4: '0000' }).where('id', '=', 'c-1').execute()));
    expect(sqlite.prepare("SELECT card_last4 FROM customers WHERE id = 'c-1'").get()).toEqual({ card_last4: '4242' });
  });

  test('joins check every table; aliases resolve', async () => {
    const { db, decisions } = setup();
    const before = decisions.length;
    const rows = await runWithPurpose({ purpose: 'customer-support' }, () =>
      db.selectFrom('customers as c').innerJoin('orders as o', 'o.customer_id', 'c.id').select(['c.name', 'o.total']).execute(),
    );
    expect(rows).toEqual([{ name: 'Aiko', total: 120 }]);
    expect(decisions.length - before).toBe(2);
  });

  test('allowed writes run; unlisted and raw passthrough opt-outs work', async () => {
    const { db } = setup({ unlisted: 'passthrough', raw: 'passthrough' });
    await runWithPurpose({ purpose: 'customer-support' }, () => db.updateTable('customers').set({ email: 'aiko@new.example.jp' }).where('id', '=', 'c-1').execute());
    expect(sqlite.prepare("SELECT email FROM customers WHERE id = 'c-1'").get()).toEqual({ email: 'aiko@new.example.jp' });
    expect(await db.selectFrom('settings').selectAll().execute()).toEqual([{ key: 'theme', value: 'dark' }]);
    expect((await sql<{ one: number }>`SELECT 1 AS one`.execute(db)).rows).toEqual([{ one: 1 }]);
  });
});
