import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuditLogError, chainHash, createAuditTrail, GENESIS_HASH, type VerifyResult } from '../../src/audit.js';
import { EVENT_COLUMNS, sqliteSink, verifySqliteAuditLog } from '../../src/audit-sqlite.js';
import { createGuard, defaultCatalogue } from '../../src/index.js';

const catalogue = defaultCatalogue;
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pg-sqlite-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const broken = (r: VerifyResult) => (r.intact ? undefined : { index: r.broken.index, reason: r.broken.reason });

function fill(db: Database.Database, n: number): void {
  const sink = sqliteSink({ database: db });
  const trail = createAuditTrail({ catalogue, sinks: [sink], hmacKey: 'k' });
  const guard = createGuard(catalogue, { recorder: trail });
  for (let i = 0; i < n; i++) guard.checkUse(i % 3 === 0 ? 'employee' : 'customer', 'billing' as string, { subjectId: `p-${i}` });
  sink.close();
}

describe('the SQLite sink', () => {
  it('writes chained rows with queryable columns and a seal; verifies; continues after a restart', () => {
    const file = join(dir, 'a.db');
    const db = new Database(file);
    fill(db, 4);
    const rows = db.prepare('SELECT * FROM purpose_guard_audit ORDER BY idx').all() as Record<string, unknown>[];
    expect(rows.map((r) => [r['idx'], r['kind'], r['subject'], r['allowed'], r['reason']])).toEqual([
      [0, 'event', 'employee', 0, 'purpose_not_permitted'],
      [1, 'event', 'customer', 1, 'permitted'],
      [2, 'event', 'customer', 1, 'permitted'],
      [3, 'event', 'employee', 0, 'purpose_not_permitted'],
      [4, 'seal', null, null, null],
    ]);
    expect(rows[0]?.['prev']).toBe(GENESIS_HASH);
    expect(rows[1]?.['hash']).toBe(chainHash('event', JSON.parse(rows[1]?.['body'] as string), rows[0]?.['hash'] as string));
    expect(rows[4]?.['hash']).toBe(chainHash('seal', JSON.parse(rows[4]?.['body'] as string), rows[3]?.['hash'] as string));
    expect(JSON.stringify(rows)).not.toContain('p-1');
    const head = rows[4]?.['hash'] as string;
    fill(db, 2);
    expect(verifySqliteAuditLog(db, { requireSeal: true })).toMatchObject({ intact: true, records: 8, events: 6 });
    db.close();
    expect(verifySqliteAuditLog(file)).toMatchObject({ intact: true, records: 8 });
    expect(() => sqliteSink({ database: file, expectedHead: head })).toThrow(AuditLogError);
  });

  it('opens a file itself and rejects a bad table name', () => {
    const file = join(dir, 'own.db');
    const sink = sqliteSink({ database: file, table: 'audit_x' });
    createGuard(catalogue, { recorder: createAuditTrail({ catalogue, sinks: [sink] }) }).checkUse('customer', 'billing');
    sink.close();
    expect(verifySqliteAuditLog(file, { table: 'audit_x', requireSeal: true }).intact).toBe(true);
    expect(() => sqliteSink({ database: file, table: 'x; DROP TABLE y' })).toThrow(AuditLogError);
    expect(broken(verifySqliteAuditLog(join(dir, 'missing.db')))).toEqual({ index: 0, reason: 'unreadable' });
  });

  it("fails closed on a connection inside the application's transaction, whose rollback would take an acknowledged row with it", () => {
    const db = new Database(':memory:');
    const onAuditError = vi.fn();
    const trail = createAuditTrail({ catalogue, sinks: [sqliteSink({ database: db })], onAuditError });
    const guard = createGuard(catalogue, { recorder: trail, onAuditError: () => {} });
    guard.checkUse('customer', 'billing');
    let inside: unknown;
    const rolledBack = db.transaction(() => {
      inside = guard.checkUse('customer', 'billing');
      throw new Error('the application rolls back');
    });
    expect(rolledBack).toThrow('the application rolls back');
    expect(inside).toMatchObject({ allowed: false, reason: 'audit_unavailable' });
    expect(onAuditError.mock.calls[0]?.[0]).toMatchObject({ cause: { message: expect.stringMatching(/inside a transaction.*own connection/) } });
    guard.checkUse('customer', 'billing');
    expect(trail.stats()).toMatchObject({ recorded: 3, acknowledged: 2, failed: 1 });
    expect(verifySqliteAuditLog(db)).toMatchObject({ intact: true, events: 2 });
  });

  it("refuses a second writer's rows: they collide with the first writer's idx", () => {
    const file = join(dir, 'two-writers.db');
    const guards = [0, 1].map(() => {
      const trail = createAuditTrail({ catalogue, sinks: [sqliteSink({ database: new Database(file) })], onAuditError: () => {} });
      return createGuard(catalogue, { recorder: trail, onAuditError: () => {} });
    });
    expect([0, 1, 2, 3].map((i) => guards[i % 2]?.checkUse('customer', 'billing').reason)).toEqual(['permitted', 'audit_unavailable', 'permitted', 'audit_unavailable']);
    expect(verifySqliteAuditLog(file)).toMatchObject({ intact: true, events: 2 });
  });

  describe('tamper evidence on 1,000 events', () => {
    const N = 1000;
    let template: Buffer;
    beforeAll(() => {
      const db = new Database(':memory:');
      fill(db, N);
      template = db.serialize();
      db.close();
    });
    const fresh = () => new Database(template);
    const positions = [0, 1, 500, 998, 999];

    it('the untouched table verifies', () => {
      expect(verifySqliteAuditLog(fresh(), { requireSeal: true })).toMatchObject({ intact: true, events: N });
    });
    it.each(positions)('editing the body of row %i', (i) => {
      const db = fresh();
      db.prepare(`UPDATE purpose_guard_audit SET body = replace(body, '"seq":${i + 1}', '"seq":${i + 7}') WHERE idx = ?`).run(i);
      expect(broken(verifySqliteAuditLog(db))).toEqual({ index: i, reason: 'column_mismatch' });
    });
    it.each(positions)('editing a column of row %i', (i) => {
      const db = fresh();
      db.prepare("UPDATE purpose_guard_audit SET reason = 'objected', allowed = 1 - allowed WHERE idx = ?").run(i);
      expect(broken(verifySqliteAuditLog(db))).toEqual({ index: i, reason: 'column_mismatch' });
    });
    it.each(positions)('editing the message in row %i (not a column)', (i) => {
      const db = fresh();
      db.prepare(`UPDATE purpose_guard_audit SET body = replace(body, '"message":"', '"message":"X') WHERE idx = ?`).run(i);
      expect(broken(verifySqliteAuditLog(db))).toEqual({ index: i, reason: 'hash_mismatch' });
    });
    it.each(positions)('relabelling row %i as a seal (and cutting what follows) is detected at its index', (i) => {
      const db = fresh();
      db.prepare('DELETE FROM purpose_guard_audit WHERE idx > ?').run(i);
      db.prepare(`UPDATE purpose_guard_audit SET kind = 'seal', ${EVENT_COLUMNS.filter((c) => c !== 'at').map((c) => `${c} = NULL`).join(', ')} WHERE idx = ?`).run(i);
      expect(broken(verifySqliteAuditLog(db, { requireSeal: true }))).toEqual({ index: i, reason: 'malformed' });
    });
    it('a seal row whose event columns were filled in is a column mismatch', () => {
      const db = fresh();
      db.prepare("UPDATE purpose_guard_audit SET allowed = 1, subject = 'customer' WHERE kind = 'seal'").run();
      expect(broken(verifySqliteAuditLog(db))).toEqual({ index: N, reason: 'column_mismatch' });
    });
    it.each(positions)('a forged member in front of the real one in the body of row %i is detected at its index', (i) => {
      const db = fresh();
      db.prepare(`UPDATE purpose_guard_audit SET body = '{"purpose":"billing",' || substr(body, 2) WHERE idx = ?`).run(i);
      expect(db.prepare('SELECT json_extract(body, ?) AS p FROM purpose_guard_audit WHERE idx = ?').get('$.purpose', i)).toEqual({ p: 'billing' });
      expect(broken(verifySqliteAuditLog(db))).toEqual({ index: i, reason: 'not_canonical' });
    });
    it.each(positions)('deleting row %i', (i) => {
      const db = fresh();
      db.prepare('DELETE FROM purpose_guard_audit WHERE idx = ?').run(i);
      expect(broken(verifySqliteAuditLog(db, { requireSeal: true }))).toEqual({ index: i, reason: 'missing' });
    });
    it.each(positions)('deleting row %i and renumbering the rest', (i) => {
      const db = fresh();
      db.prepare('DELETE FROM purpose_guard_audit WHERE idx = ?').run(i);
      db.prepare('UPDATE purpose_guard_audit SET idx = -(idx - 1) WHERE idx > ?').run(i);
      db.prepare('UPDATE purpose_guard_audit SET idx = -idx WHERE idx < 0').run();
      expect(broken(verifySqliteAuditLog(db))).toEqual({ index: i, reason: 'prev_mismatch' });
    });
    it.each(positions)('inserting a replayed row at %i', (i) => {
      const db = fresh();
      db.prepare('UPDATE purpose_guard_audit SET idx = -(idx + 1) WHERE idx >= ?').run(i);
      db.prepare('UPDATE purpose_guard_audit SET idx = -idx WHERE idx < 0').run();
      db.prepare(
        'INSERT INTO purpose_guard_audit SELECT ?, kind, decision_id, seq, at, subject, purpose, allowed, reason, mode, body, prev, hash FROM purpose_guard_audit WHERE idx = ?',
      ).run(i, (i + 500) % N + 1);
      expect(broken(verifySqliteAuditLog(db))).toEqual({ index: i, reason: 'prev_mismatch' });
    });
    it.each(positions)('swapping rows %i and %i+1', (i) => {
      const db = fresh();
      db.prepare('UPDATE purpose_guard_audit SET idx = -1 WHERE idx = ?').run(i);
      db.prepare('UPDATE purpose_guard_audit SET idx = ? WHERE idx = ?').run(i, i + 1);
      db.prepare('UPDATE purpose_guard_audit SET idx = ? WHERE idx = -1').run(i + 1);
      expect(broken(verifySqliteAuditLog(db))).toEqual({ index: i, reason: 'prev_mismatch' });
    });
  });
});
