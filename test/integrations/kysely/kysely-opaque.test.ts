import { CompiledQuery, sql } from 'kysely';
import { describe, expect, test } from 'vitest';
import { PurposeViolationError } from '../../../src/index.js';
import { runWithPurpose } from '../../../src/node.js';
import { openDatabase } from './setup.js';

// What the plugin cannot see through (raw SQL anywhere, a table expression that is not a table, a query it never
// transformed) is refused, and the refusal is recorded like every other decision.
const { sqlite, setup, denied } = openDatabase();
const support = <T>(fn: () => Promise<T>) => runWithPurpose({ purpose: 'customer-support' }, fn);
const card = () => sqlite.prepare("SELECT card_last4 FROM customers WHERE id = 'c-1'").get();

describe('purpose-guard/kysely: raw SQL inside a query', () => {
  test('a raw filter on a mapped table is denied before SQLite sees it, and recorded', async () => {
    const { db, decisions } = setup();
    expect(await denied(() => support(() => db.selectFrom('customers').select('id').where(sql<string>`card_last4`, '=', '4242').execute()))).toEqual({ reason: 'invalid_input', statements: 0 });
    expect(decisions.at(-1)).toMatchObject({ allowed: false, reason: 'invalid_input', subject: 'customer', purpose: 'customer-support', rule: 'kysely.raw' });
    expect(decisions.at(-1)?.message).toContain('where');
  });

  test('raw SQL in a selection or a write on a mapped table is denied even with raw: passthrough', async () => {
    const { db } = setup({ raw: 'passthrough' });
    expect(await denied(() => support(() => db.selectFrom('customers').select(sql<string>`card_last4`.as('c')).execute()))).toEqual({ reason: 'invalid_input', statements: 0 });
    expect(await denied(() => support(() => db.updateTable('customers').set({ email: sql<string>`card_last4` }).where('id', '=', 'c-1').execute()))).toEqual({ reason: 'invalid_input', statements: 0 });
  });

  test("Kysely's own keywords (orderBy direction, onTrue) are not raw SQL to the guard", async () => {
    const { db } = setup();
    const rows = await support(() => db.selectFrom('customers').innerJoin('orders', (j) => j.onTrue()).select('customers.id').orderBy('customers.id', 'desc').execute());
    expect(rows).toEqual([{ id: 'c-2' }, { id: 'c-1' }]);
  });

  test('raw SQL in a query on unmapped tables only is raw SQL as a whole: denied by default, run with raw: passthrough', async () => {
    expect(await denied(() => setup({ unlisted: 'passthrough' }).db.selectFrom('settings').select(sql<string>`(SELECT card_last4 FROM customers)`.as('v')).execute())).toEqual({ reason: 'invalid_input', statements: 0 });
    const { db } = setup({ unlisted: 'passthrough', raw: 'passthrough' });
    expect(await db.selectFrom('settings').select(sql<string>`upper(value)`.as('v')).execute()).toEqual([{ v: 'DARK' }]);
  });
});

describe('purpose-guard/kysely: table expressions', () => {
  test('a raw table expression is denied (no table is known, so nothing could be checked or minimised)', async () => {
    const { db, decisions } = setup();
    expect(await denied(() => db.selectFrom(sql`customers`.as('c')).selectAll().execute())).toEqual({ reason: 'invalid_input', statements: 0 });
    expect(decisions).toHaveLength(1);
    expect(await denied(() => support(() => db.selectFrom('orders').innerJoin(sql`customers`.as('c'), (j) => j.onTrue()).select('orders.id').execute()))).toEqual({ reason: 'invalid_input', statements: 0 });
  });

  test('a subquery in from is walked: its tables and columns are checked', async () => {
    const { db } = setup();
    const inner = db.selectFrom('customers').select(['id', 'name']).as('s');
    expect(await support(() => db.selectFrom(inner).select('s.name').orderBy('s.name').execute())).toEqual([{ name: 'Aiko' }, { name: 'Bruno' }]);
    const cards = db.selectFrom('customers').select('card_last4').as('s');
    // Kysely hands the subquery to the plugin on its own as it builds the outer query, so the deny may come that early.
    expect(await denied(() => support(async () => db.selectFrom(cards).selectAll().execute()))).toEqual({ reason: 'data_category_not_permitted', statements: 0 });
  });
});

describe('purpose-guard/kysely: queries the plugin never transformed', () => {
  test('a precompiled raw query is refused after it runs; its rows never reach the caller; the refusal is recorded', async () => {
    const { db, decisions } = setup();
    const error = await db.executeQuery(CompiledQuery.raw('SELECT * FROM customers')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PurposeViolationError);
    expect(error).toMatchObject({ reason: 'invalid_input', decision: { rule: 'kysely.precompiled' } });
    expect(decisions).toEqual([expect.objectContaining({ allowed: false, rule: 'kysely.precompiled' })]);
  });

  test('a precompiled write has run when it is refused (documented); inside a transaction the refusal rolls it back', async () => {
    const { db } = setup();
    await expect(db.transaction().execute((trx) => trx.executeQuery(CompiledQuery.raw("UPDATE customers SET card_last4 = '0000' WHERE id = 'c-1'")))).rejects.toBeInstanceOf(PurposeViolationError);
    expect(card()).toEqual({ card_last4: '4242' });
    await expect(db.executeQuery(CompiledQuery.raw("UPDATE customers SET card_last4 = '1111' WHERE id = 'c-1'"))).rejects.toBeInstanceOf(PurposeViolationError);
    expect(card()).toEqual({ card_last4: '1111' });
    sqlite.prepare("UPDATE customers SET card_last4 = '4242' WHERE id = 'c-1'").run();
  });

  test('a query compiled through the plugin runs later as usual; raw: passthrough lets precompiled SQL through', async () => {
    const { db } = setup();
    const compiled = support(async () => db.selectFrom('customers').selectAll().where('id', '=', 'c-1').compile());
    expect((await db.executeQuery(await compiled)).rows).toEqual([{ id: 'c-1', name: 'Aiko', email: 'aiko@example.jp' }]);
    const open = setup({ raw: 'passthrough' }).db;
    expect((await open.executeQuery(CompiledQuery.raw('SELECT 1 AS one'))).rows).toEqual([{ one: 1 }]);
  });
});

describe('purpose-guard/kysely: every refusal is recorded', () => {
  test('no purpose in scope, an unmapped table and whole-query raw SQL each leave one audit event', async () => {
    const { db, decisions } = setup();
    await denied(() => db.selectFrom('customers').selectAll().execute());
    await denied(() => support(() => db.selectFrom('settings').selectAll().execute()));
    await denied(() => support(() => sql`SELECT * FROM customers`.execute(db)));
    expect(decisions.map((d) => [d.reason, d.rule])).toEqual([
      ['no_purpose_in_scope', 'scope'],
      ['invalid_input', 'kysely.settings'],
      ['invalid_input', 'kysely.raw'],
    ]);
  });
});

describe('purpose-guard/kysely: a table used as a value', () => {
  test('to_json(customers) under an alias is its whole row: denied, not copied through minimisation', async () => {
    const { db } = setup({ raw: 'passthrough' });
    const whole = () => support(() => db.selectFrom('customers').select((eb) => ['id', eb.fn<unknown>('to_json', [eb.table('customers')]).as('row')]).execute());
    expect(await denied(whole)).toEqual({ reason: 'invalid_input', statements: 0 });
  });
});

describe('purpose-guard/kysely: tables of one query read for different purposes', () => {
  test('rows keep only the columns every table’s purpose may see', async () => {
    const { createGuard, defaultCatalogue } = await import('../../../src/index.js');
    const { PurposeGuardPlugin } = await import('../../../src/integrations/kysely/index.js');
    const { Kysely, SqliteDialect } = await import('kysely');
    const plugin = new PurposeGuardPlugin({
      guard: createGuard(defaultCatalogue),
      tables: {
        customers: { subject: 'customer', columns: { id: 'account', name: 'identity', email: 'contact', card_last4: 'payment' } },
        // Its spec fixes the purpose: read for billing whatever the scope says.
        orders: { subject: 'customer', purpose: 'billing', columns: { id: 'transaction', customer_id: 'account', total: 'transaction' } },
      },
    });
    const db = new Kysely<import('./setup.js').DB>({ dialect: new SqliteDialect({ database: sqlite }), plugins: [plugin] });
    const rows = await support(() => db.selectFrom('customers').innerJoin('orders', 'orders.customer_id', 'customers.id').selectAll().execute());
    // customer-support may not see payment data: billing's decision on orders must not let card_last4 through.
    expect(rows.length).toBe(1);
    expect(Object.keys(rows[0] as object)).not.toContain('card_last4');
  });
});
