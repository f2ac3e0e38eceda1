import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { openServiceDatabase } from '../../examples/service/database.js';
import { createRepositories } from '../../examples/service/repositories.js';
import { createGuard, defaultCatalogue, PurposeViolationError } from '../../src/index.js';
import { runWithPurpose } from '../../src/node.js';

const dir = mkdtempSync(join(tmpdir(), 'pg-noio-'));
const database = openServiceDatabase(join(dir, 'noio.db'));
const repos = createRepositories(database.db, createGuard(defaultCatalogue));
afterAll(() => {
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs a call and returns how many SQL statements it executed on the real database, and how it ended. */
async function counted(call: () => Promise<unknown>): Promise<{ queries: number; error: unknown; value: unknown }> {
  const before = database.queries();
  let error: unknown;
  let value: unknown;
  try {
    value = await call();
  } catch (e) {
    error = e;
  }
  return { queries: database.queries() - before, error, value };
}

describe('a denied call performs no I/O (statements counted on the SQLite database)', () => {
  test('the counter counts: an allowed call runs exactly one statement', async () => {
    const r = await counted(() => runWithPurpose({ purpose: 'customer-support' }, () => repos.customers.findById('cus-001')));
    expect(r.error).toBeUndefined();
    expect(r.queries).toBe(1);
    expect(r.value).toMatchObject({ id: 'cus-001' });
  });

  test.each([
    ['no scope', () => repos.customers.findById('cus-001'), 'no_purpose_in_scope'],
    ['purpose not permitted', () => runWithPurpose({ purpose: 'employment.administration' }, () => repos.customers.findById('cus-001')), 'purpose_not_permitted'],
    ['parent purpose', () => runWithPurpose({ purpose: 'marketing' }, () => repos.customers.findById('cus-001')), 'purpose_not_permitted'],
    ['unknown purpose', () => runWithPurpose({ purpose: 'Billing' }, () => repos.customers.findById('cus-001')), 'unknown_purpose'],
    ['consent missing', () => runWithPurpose({ purpose: 'marketing.notifications' }, () => repos.customers.contactFor('cus-002')), 'consent_required'],
    ['data category not permitted (write)', () => runWithPurpose({ purpose: 'marketing.analytics' }, () => repos.customers.updateEmail('cus-001', 'x@example.com')), 'data_category_not_permitted'],
    ['objection', () => runWithPurpose({ purpose: 'marketing.surveys', objections: [{ purpose: 'marketing', at: '2026-01-01T00:00:00Z' }] }, () => repos.customers.findById('cus-001')), 'objected'],
    ['invalid context', () => runWithPurpose({ purpose: 'billing', consents: 'yes' as never }, () => repos.customers.findById('cus-001')), 'invalid_context'],
    ['special-care without consent', () => runWithPurpose({ purpose: 'employment.health-management' }, () => repos.employees.findById('emp-001')), 'consent_required'],
    ['employee data for marketing', () => runWithPurpose({ purpose: 'marketing.analytics' }, () => repos.employees.findById('emp-001')), 'purpose_not_permitted'],
  ] as const)('%s: PurposeViolationError, zero statements', async (_, call, reason) => {
    const r = await counted(call);
    expect(r.error).toBeInstanceOf(PurposeViolationError);
    expect((r.error as PurposeViolationError).reason).toBe(reason);
    expect(r.queries).toBe(0);
  });

  test('a denied write leaves the row unchanged', async () => {
    await counted(() => runWithPurpose({ purpose: 'marketing.analytics' }, () => repos.customers.updateEmail('cus-001', 'x@example.com')));
    const row = await runWithPurpose({ purpose: 'billing' }, () => repos.customers.findById('cus-001'));
    expect(row?.email).toBe('aiko.tanaka@example.jp');
  });
});
