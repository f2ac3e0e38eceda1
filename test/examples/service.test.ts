import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, test } from 'vitest';
import { runServiceDemo } from '../../examples/service/run.js';
import { createGuard, defaultCatalogue, type Decision } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'pg-service-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runServiceDemo', () => {
  test('runs the script against a real SQLite file and reports each outcome', async () => {
    const lines: string[] = [];
    const decisions: Decision[] = [];
    const guard = createGuard(defaultCatalogue, { recorder: { record: (d) => void decisions.push(d) } });
    const path = join(dir, 'service.db');
    const summary = await runServiceDemo({ databasePath: path, log: (l) => lines.push(l), color: false, guard });

    expect(existsSync(path)).toBe(true);
    const db = new Database(path, { readonly: true });
    // the withdrawal was written to the file
    const row = db.prepare("SELECT withdrawn_at FROM consents WHERE id = 'cns-001'").get() as { withdrawn_at: string | null };
    expect(row.withdrawn_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((db.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n).toBe(5);
    db.close();

    const by = (label: RegExp) => summary.steps.find((s) => label.test(s.label));
    expect(by(/Support agent/)).toMatchObject({ status: 200, outcome: 'minimised', withheld: ['cardLast4', 'cardToken'] });
    expect(by(/Billing reads/)?.fields).toContain('cardLast4');
    expect(by(/who opted in/)).toMatchObject({ status: 200, outcome: 'allowed', fields: ['name', 'email'] });
    expect(by(/never opted in/)).toMatchObject({ status: 403, reason: 'consent_required', tables: ['consents'] });
    expect(by(/withdrew in May/)).toMatchObject({ status: 403, reason: 'consent_withdrawn' });
    expect(by(/a moment later/)).toMatchObject({ status: 403, reason: 'consent_withdrawn', tables: ['consents'] });
    expect(by(/declares no purpose/)).toMatchObject({ status: 403, reason: 'no_purpose_in_scope', queries: 0 });
    expect(by(/Payroll/)?.withheld).toContain('healthCheck');
    expect(by(/Occupational health/)).toMatchObject({ status: 403, reason: 'consent_required', queries: 0 });
    expect(by(/Marketing analytics on employee/)).toMatchObject({ status: 403, reason: 'purpose_not_permitted', queries: 0 });

    // no denied request read a personal-data table
    for (const s of summary.steps.filter((x) => x.outcome === 'denied')) expect(s.tables.filter((t) => t !== 'consents')).toEqual([]);
    expect(summary).toMatchObject({ allowed: 2, minimised: 5, denied: 6 });
    expect(summary.queries).toBe(summary.steps.reduce((n, s) => n + s.queries, 0));
    // every guarded call was decided and recorded, the legacy route's no-scope deny included (guard.record)
    expect(decisions.filter((d) => !d.allowed).map((d) => d.reason).sort()).toEqual([
      'consent_required',
      'consent_required',
      'consent_withdrawn',
      'consent_withdrawn',
      'no_purpose_in_scope',
      'purpose_not_permitted',
    ]);
    expect(lines.join('\n')).toMatch(/withheld by minimisation: cardLast4, cardToken/);
    expect(lines.join('\n')).not.toMatch(/4242/);
  });

  test('prints nothing with log: false', async () => {
    const summary = await runServiceDemo({ databasePath: join(dir, 'quiet.db'), log: false });
    expect(summary.steps.length).toBeGreaterThan(10);
  });
});
