/**
 * Guarded vs unguarded SQLite point query (issue 4): the same prepared
 * statement through the raw repository and through `guardRepository`, in the
 * same run, rounds interleaved. Target: the guard adds under 5%.
 *
 * Run: npx tsx bench/repository.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createGuard, defaultCatalogue } from '../src/index.js';
import { guardRepository, runWithPurpose } from '../src/node.js';
import { blackhole, compare, environment, report, seededRandom, sunkValues } from './harness.js';

const ROWS = 10_000;
const BATCH = 1_000;

interface Row {
  id: string;
  name: string;
  email: string;
  plan: string;
  cardLast4: string;
}

class Customers {
  readonly #byId: Database.Statement<[string], Row>;
  constructor(db: Database.Database) {
    this.#byId = db.prepare('SELECT id, name, email, plan, card_last4 AS cardLast4 FROM customers WHERE id = ?');
  }
  findById(id: string): Row | undefined {
    return this.#byId.get(id);
  }
  async findByIdAsync(id: string): Promise<Row | undefined> {
    return this.#byId.get(id);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'pg-bench-'));
const db = new Database(join(dir, 'bench.db'));
db.exec('CREATE TABLE customers (id TEXT PRIMARY KEY, name TEXT, email TEXT, plan TEXT, card_last4 TEXT)');
const insert = db.prepare('INSERT INTO customers VALUES (?, ?, ?, ?, ?)');
db.transaction(() => {
  for (let i = 0; i < ROWS; i++) insert.run(`cus-${i}`, `Person ${i}`, `p${i}@example.com`, i % 2 ? 'basic' : 'premium', String(1000 + (i % 9000)));
})();

const random = seededRandom(4);
const ids = Array.from({ length: BATCH }, () => `cus-${Math.floor(random() * ROWS)}`);
const guard = createGuard(defaultCatalogue);
const raw = new Customers(db);
const checked = guardRepository(raw, {
  findById: { subject: 'customer', operation: 'read', dataCategories: ['identity', 'contact'] },
  findByIdAsync: { subject: 'customer', operation: 'read', dataCategories: ['identity', 'contact'] },
}, { guard });
const minimised = guardRepository(new Customers(db), {
  findById: { subject: 'customer', operation: 'read', fields: { id: 'account', name: 'identity', email: 'contact', plan: 'account', cardLast4: 'payment' } },
}, { guard });
const scope = { purpose: 'customer-support', actor: 'agent-7' } as const;

function batch(repo: Customers): number {
  let n = 0;
  for (const id of ids) if (repo.findById(id) !== undefined) n++;
  return n;
}
async function batchAsync(repo: Customers): Promise<number> {
  let n = 0;
  for (const id of ids) if ((await repo.findByIdAsync(id)) !== undefined) n++;
  return n;
}

console.log(`Repository point query (better-sqlite3, ${ROWS} rows, batches of ${BATCH}) · ${environment()}\n`);
const options = { rounds: 15, roundMs: 80 };
const sync = await compare([
  { name: 'unguarded', ops: BATCH, fn: () => runWithPurpose(scope, () => batch(raw)) },
  { name: 'guarded', ops: BATCH, fn: () => runWithPurpose(scope, () => batch(checked)) },
  { name: 'guarded + minimised', ops: BATCH, fn: () => runWithPurpose(scope, () => batch(minimised)) },
], options);
console.log(report(sync, 'unguarded'));
const async = await compare([
  { name: 'unguarded async', ops: BATCH, fn: () => runWithPurpose(scope, () => batchAsync(raw)) },
  { name: 'guarded async (checkUseAsync)', ops: BATCH, fn: () => runWithPurpose(scope, () => batchAsync(checked)) },
], options);
console.log(`\n${report(async, 'unguarded async')}`);

const overhead = (a: number, b: number): string => `${(((b - a) / a) * 100).toFixed(1)}%`;
const [u, g, m] = sync;
const [ua, ga] = async;
if (u && g && m && ua && ga) {
  console.log(`\nGuard overhead on a point query, medians: ${overhead(u.nsPerOp, g.nsPerOp)} (sync, target < 5%), ` +
    `${overhead(u.nsPerOp, m.nsPerOp)} with minimisation, ${overhead(ua.nsPerOp, ga.nsPerOp)} async.`);
  console.log(`Fastest rounds (least disturbed by other load): ${overhead(u.minNsPerOp, g.minNsPerOp)} sync, ` +
    `${overhead(u.minNsPerOp, m.minNsPerOp)} with minimisation, ${overhead(ua.minNsPerOp, ga.minNsPerOp)} async; ` +
    `${(g.minNsPerOp - u.minNsPerOp).toFixed(0)} ns per guarded call.`);
}
blackhole(sunkValues());
db.close();
rmSync(dir, { recursive: true, force: true });
console.log(`(sunk ${sunkValues()} batches)`);
