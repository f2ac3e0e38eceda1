import { type AliasedExpression, type ExpressionBuilder, sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { describe, expect, test } from 'vitest';
import { runWithPurpose } from '../../../src/node.js';
import { selectedAliases } from '../../../src/integrations/kysely/collect.js';
import { type DB, openDatabase } from './setup.js';

const { sqlite, setup, denied, statements: count } = openDatabase();

describe('purpose-guard/kysely against SQLite', () => {
  test('selectAll under customer-support: allowed, rows minimised (no card, no unmapped column)', async () => {
    const { db, decisions } = setup();
    const before = count();
    const rows = await runWithPurpose({ purpose: 'customer-support' }, () => db.selectFrom('customers').selectAll().orderBy('id').execute());
    expect(count() - before).toBe(1); // the counter sees what reaches SQLite
    expect(rows).toEqual([
      { id: 'c-1', name: 'Aiko', email: 'aiko@example.jp' },
      { id: 'c-2', name: 'Bruno', email: 'bruno@example.com' },
    ]);
    expect(decisions.at(-1)).toMatchObject({ allowed: true, subject: 'customer', purpose: 'customer-support' });
  });

  test("a query's own aliases (counts, renamed permitted columns) are kept; an alias of a column the purpose may not read is denied", async () => {
    const { db } = setup();
    const support = <T>(run: () => Promise<T>) => runWithPurpose({ purpose: 'customer-support' }, run);
    expect(await support(() => db.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())).toEqual({ n: 2 });
    expect(await support(() => db.selectFrom('customers').select(['id', 'name as who']).where('id', '=', 'c-1').executeTakeFirst())).toEqual({ id: 'c-1', who: 'Aiko' });
    expect(await denied(() => support(() => db.selectFrom('customers').select('card_last4 as c').execute()))).toEqual({ reason: 'data_category_not_permitted', statements: 0 });
    // A name the map gives a column stays the map's to judge, even as an alias.
    expect(await support(() => db.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('card_last4')).executeTakeFirst())).toEqual({});
    // An alias over a subquery's selectAll holds every column, which minimisation cannot reach inside: not kept.
    // (The trees are built without the plugin: the JSON helpers write raw SQL, which it refuses on a mapped table anyway.)
    const plain = db.withoutPlugins();
    const tree = (make: (eb: ExpressionBuilder<DB, 'orders'>) => AliasedExpression<unknown, string>) => plain.selectFrom('orders').select((eb) => ['id', make(eb)]).toOperationNode();
    expect([...selectedAliases(tree((eb) => jsonArrayFrom(eb.selectFrom('customers').selectAll()).as('buyer')))]).toEqual([]);
    expect([...selectedAliases(tree((eb) => jsonArrayFrom(eb.selectFrom('customers').select('name')).as('buyer')))]).toEqual(['buyer']);
    expect([...selectedAliases(tree((eb) => eb.fn.countAll().as('n')))]).toEqual(['n']);
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
