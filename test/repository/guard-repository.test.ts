import { describe, expect, test } from 'vitest';
import { createGuard, defaultCatalogue, PurposeViolationError, type Decision, type DecisionRecorder } from '../../src/index.js';
import { guardRepository, runWithPurpose } from '../../src/node.js';

interface Customer {
  id: string;
  name: string;
  email: string;
  cardLast4: string;
}

/** A class with #private state, sync and async methods, an overload, a getter and a generic method. */
class CustomerRepo {
  #rows = new Map<string, Customer>([['c-1', { id: 'c-1', name: 'Aiko', email: 'aiko@example.jp', cardLast4: '4242' }]]);
  readonly calls: string[] = [];
  get size(): number {
    return this.#rows.size;
  }
  async findById(id: string): Promise<Customer | undefined> {
    this.calls.push(`findById:${id}`);
    await Promise.resolve();
    return this.#rows.get(id);
  }
  findSync(id: string): Customer | undefined {
    this.calls.push(`findSync:${id}`);
    return this.#rows.get(id);
  }
  /** Not async, but returns a promise. */
  findLater(id: string): Promise<Customer | undefined> {
    this.calls.push(`findLater:${id}`);
    return Promise.resolve(this.#rows.get(id));
  }
  pick(id: string): Customer | undefined;
  pick(ids: readonly string[]): Customer[];
  pick(idOrIds: string | readonly string[]): Customer | Customer[] | undefined {
    this.calls.push('pick');
    return typeof idOrIds === 'string' ? this.#rows.get(idOrIds) : idOrIds.flatMap((i) => this.#rows.get(i) ?? []);
  }
  map<T>(fn: (c: Customer) => T): T[] {
    return [...this.#rows.values()].map(fn);
  }
  async updateEmail(id: string, email: string): Promise<void> {
    this.calls.push(`updateEmail:${id}`);
    const row = this.#rows.get(id);
    if (row) row.email = email;
  }
  internalHelper(): string {
    return this.#rows.size > 0 ? 'has rows' : 'empty';
  }
  close(): void {
    this.calls.push('close');
  }
}

const fields = { id: 'account', name: 'identity', email: 'contact', cardLast4: 'payment' } as const;

function setup(options: { recorder?: DecisionRecorder; mode?: 'monitor' } = {}) {
  const guard = createGuard(defaultCatalogue, { clock: () => new Date('2026-11-24T00:00:00Z'), ...options });
  const raw = new CustomerRepo();
  const repo = guardRepository(
    raw,
    {
      findById: { subject: 'customer', operation: 'read', fields, context: (id) => ({ subjectId: id }) },
      findSync: { subject: 'customer', operation: 'read', fields },
      findLater: { subject: 'customer', operation: 'read', fields, async: true },
      pick: { subject: 'customer', operation: 'read', fields },
      map: { subject: 'customer', operation: 'read' },
      updateEmail: { subject: 'customer', operation: 'update', dataCategories: ['contact'] },
      internalHelper: { subject: 'customer', operation: 'read', purpose: 'fraud-prevention' },
    },
    { guard },
  );
  return { guard, raw, repo };
}

describe('guardRepository', () => {
  test('an async method under a scope: checked, called with this = the original (#private works), minimised', async () => {
    const { repo, raw } = setup();
    const c = await runWithPurpose({ purpose: 'customer-support' }, () => repo.findById('c-1'));
    expect(c).toEqual({ id: 'c-1', name: 'Aiko', email: 'aiko@example.jp' });
    expect(raw.calls).toEqual(['findById:c-1']);
    const b = await runWithPurpose({ purpose: 'billing' }, () => repo.findById('c-1'));
    expect(b?.cardLast4).toBe('4242');
  });

  test('no scope: denied with no_purpose_in_scope, the method never runs (async rejects, sync throws)', async () => {
    const { repo, raw } = setup();
    await expect(repo.findById('c-1')).rejects.toMatchObject({ name: 'PurposeViolationError', reason: 'no_purpose_in_scope' });
    expect(() => repo.findSync('c-1')).toThrow(PurposeViolationError);
    try {
      repo.findSync('c-1');
    } catch (e) {
      expect((e as PurposeViolationError).decision).toMatchObject({ reason: 'no_purpose_in_scope', subject: 'customer' });
      expect((e as PurposeViolationError).decision.message).toContain('CustomerRepo.findSync');
    }
    expect(raw.calls).toEqual([]);
  });

  test('a purpose not permitted for the subject: denied before the call', async () => {
    const { repo, raw } = setup();
    await expect(runWithPurpose({ purpose: 'employment.administration' }, () => repo.findById('c-1'))).rejects.toMatchObject({ reason: 'purpose_not_permitted' });
    expect(() => runWithPurpose({ purpose: 'recruitment' }, () => repo.findSync('c-1'))).toThrow(/purpose_not_permitted/);
    expect(raw.calls).toEqual([]);
  });

  test('data categories the method needs are checked: customer-support may not update... contact is fine, marketing.analytics is not', async () => {
    const { repo, raw } = setup();
    await runWithPurpose({ purpose: 'customer-support' }, () => repo.updateEmail('c-1', 'new@example.jp'));
    await expect(runWithPurpose({ purpose: 'marketing.analytics' }, () => repo.updateEmail('c-1', 'x@example.jp'))).rejects.toMatchObject({ reason: 'data_category_not_permitted' });
    expect(raw.calls).toEqual(['updateEmail:c-1']);
  });

  test('the scope context (consents) decides: marketing.notifications needs consent; withdrawn consent denies', async () => {
    const { repo } = setup();
    const consent = { purpose: 'marketing.notifications' as const, grantedAt: '2026-01-01T00:00:00Z', id: 'k-1' };
    expect(() => runWithPurpose({ purpose: 'marketing.notifications' }, () => repo.findSync('c-1'))).toThrow(/consent_required/);
    expect(runWithPurpose({ purpose: 'marketing.notifications', consents: [consent] }, () => repo.findSync('c-1'))).toEqual({ name: 'Aiko', email: 'aiko@example.jp' });
    expect(() =>
      runWithPurpose({ purpose: 'marketing.notifications', consents: [{ ...consent, withdrawnAt: '2026-06-01T00:00:00Z' }] }, () => repo.findSync('c-1')),
    ).toThrow(/consent_withdrawn/);
  });

  test('a fixed purpose needs no scope', () => {
    const { repo } = setup();
    expect(repo.internalHelper()).toBe('has rows');
  });

  test('sync methods stay sync; a promise-returning plain method is minimised after it resolves', async () => {
    const { repo } = setup();
    const sync = runWithPurpose({ purpose: 'customer-support' }, () => repo.findSync('c-1'));
    expect(sync).toEqual({ id: 'c-1', name: 'Aiko', email: 'aiko@example.jp' });
    const later = runWithPurpose({ purpose: 'customer-support' }, () => repo.findLater('c-1'));
    expect(later).toBeInstanceOf(Promise);
    expect(await later).toEqual({ id: 'c-1', name: 'Aiko', email: 'aiko@example.jp' });
  });

  test('overloads and generics work at run time', () => {
    const { repo } = setup();
    runWithPurpose({ purpose: 'customer-support' }, () => {
      expect(repo.pick('c-1')).toEqual({ id: 'c-1', name: 'Aiko', email: 'aiko@example.jp' });
      expect(repo.pick(['c-1', 'zz'])).toEqual([{ id: 'c-1', name: 'Aiko', email: 'aiko@example.jp' }]);
      expect(repo.map((c) => c.name.length)).toEqual([4]);
    });
  });

  test('unlisted methods throw by default; getters, fields and Object.prototype methods still work; instanceof holds', () => {
    const { repo, raw } = setup();
    expect(() => repo.close()).toThrow(PurposeViolationError);
    try {
      repo.close();
    } catch (e) {
      expect((e as PurposeViolationError).decision).toMatchObject({ reason: 'invalid_input', field: 'method', rule: 'CustomerRepo.close' });
    }
    expect(raw.calls).toEqual([]);
    expect(repo.size).toBe(1);
    expect(repo.calls).toBe(raw.calls);
    // biome-ignore lint/suspicious/noPrototypeBuiltins: the inherited method itself, called through the proxy, is what is tested
    expect(repo.hasOwnProperty('calls')).toBe(true);
    expect(repo).toBeInstanceOf(CustomerRepo);
    expect(repo.findById).toBe(repo.findById);
  });

  test("unlisted: 'passthrough' calls them unchecked", () => {
    const guard = createGuard(defaultCatalogue);
    const raw = new CustomerRepo();
    const repo = guardRepository(raw, { findSync: { subject: 'customer', operation: 'read' } }, { guard, unlisted: 'passthrough' });
    repo.close();
    expect(raw.calls).toEqual(['close']);
    expect(() => repo.findSync('c-1')).toThrow(/no_purpose_in_scope/);
  });

  test('plain objects work too, with their name option', async () => {
    const guard = createGuard(defaultCatalogue);
    const seen: string[] = [];
    const repo = guardRepository(
      { async list(): Promise<{ name: string; salary: number }[]> { seen.push(String(this === repo)); return [{ name: 'E', salary: 1 }]; } },
      { list: { subject: 'employee', operation: 'read', fields: { name: 'identity', salary: 'payroll' } } },
      { guard, name: 'Employees' },
    );
    await expect(runWithPurpose({ purpose: 'business-communication' }, () => repo.list())).resolves.toEqual([{ name: 'E' }]);
    await expect(runWithPurpose({ purpose: 'employment.administration' }, () => repo.list())).resolves.toEqual([{ name: 'E', salary: 1 }]);
    expect(seen).toEqual(['false', 'false']);
  });

  test('a wrong spec is a start-up error', () => {
    const guard = createGuard(defaultCatalogue);
    const raw = new CustomerRepo();
    expect(() => guardRepository(raw, { nope: { subject: 'customer', operation: 'read' } } as never, { guard })).toThrow(/not a method/);
    expect(() => guardRepository(raw, { findSync: { subject: 'martian', operation: 'read' } } as never, { guard })).toThrow(/subject/);
    expect(() => guardRepository(raw, { findSync: { subject: 'customer' } } as never, { guard })).toThrow(/operation/);
    expect(() => guardRepository(raw, {}, { guard, unlisted: 'allow' as never })).toThrow(/unlisted/);
  });

  test('async methods await the audit record with meta; a failing recorder (strict) denies before the call', async () => {
    const events: { decision: Decision; meta: unknown }[] = [];
    const ok: DecisionRecorder = { record: async (decision, _ctx, meta) => { events.push({ decision, meta }); } };
    const a = setup({ recorder: ok });
    await runWithPurpose({ purpose: 'billing', actor: 'svc' }, () => a.repo.findById('c-1'));
    expect(events).toHaveLength(1);
    expect(events[0]?.meta).toMatchObject({ operation: 'read', method: 'CustomerRepo.findById', via: 'guardRepository' });

    const failing: DecisionRecorder = { record: () => Promise.reject(new Error('disk full')) };
    const b = setup({ recorder: failing });
    await expect(runWithPurpose({ purpose: 'billing' }, () => b.repo.findById('c-1'))).rejects.toMatchObject({ reason: 'audit_unavailable' });
    expect(b.raw.calls).toEqual([]);
  });

  test('the audit record of an async call is acknowledged before the method runs', async () => {
    const order: string[] = [];
    let release!: () => void;
    const slow: DecisionRecorder = { record: () => new Promise<void>((r) => { order.push('record'); release = () => { order.push('ack'); r(); }; }) };
    const { repo, raw } = setup({ recorder: slow });
    const pending = runWithPurpose({ purpose: 'billing' }, () => repo.findById('c-1'));
    await new Promise((r) => setImmediate(r));
    expect(raw.calls).toEqual([]);
    release();
    await pending;
    expect(order).toEqual(['record', 'ack']);
    expect(raw.calls).toEqual(['findById:c-1']);
  });

  test('the method context and data categories reach checkUse over the scope context', async () => {
    const contexts: unknown[] = [];
    const guard = createGuard(defaultCatalogue, { recorder: { record: (_d, ctx) => void contexts.push(ctx) } });
    const repo = guardRepository(new CustomerRepo(), { findById: { subject: 'customer', operation: 'read', dataCategories: (id) => (id === 'c-1' ? ['identity'] : ['payment']), context: (id) => ({ subjectId: id }) } }, { guard });
    await runWithPurpose({ purpose: 'customer-support', actor: 'agent' }, () => repo.findById('c-1'));
    expect(contexts[0]).toEqual({ actor: 'agent', subjectId: 'c-1', dataCategories: ['identity'] });
    await expect(runWithPurpose({ purpose: 'customer-support' }, () => repo.findById('c-2'))).rejects.toMatchObject({ reason: 'data_category_not_permitted' });
  });

  test('monitor mode: a would-be deny runs, and results are not minimised', async () => {
    const { repo, raw } = setup({ mode: 'monitor' });
    const c = await runWithPurpose({ purpose: 'customer-support' }, () => repo.findById('c-1'));
    expect(c?.cardLast4).toBe('4242');
    await runWithPurpose({ purpose: 'employment.administration' }, () => repo.findById('c-1'));
    expect(raw.calls).toHaveLength(2);
  });

  test('mapped fields the purpose permits are checked too: special-care data needs consent before it is disclosed', async () => {
    const guard = createGuard(defaultCatalogue, { clock: () => new Date('2026-11-24T00:00:00Z') });
    const raw = { async find() { return { name: 'Leo', salary: 1, health: 'check-up ok' }; } };
    const repo = guardRepository(raw, { find: { subject: 'employee', operation: 'read', fields: { name: 'identity', salary: 'payroll', health: 'health' } } }, { guard });
    await expect(runWithPurpose({ purpose: 'employment.administration' }, () => repo.find())).resolves.toEqual({ name: 'Leo', salary: 1 });
    await expect(runWithPurpose({ purpose: 'employment.health-management' }, () => repo.find())).rejects.toMatchObject({ reason: 'consent_required' });
    const consents = [{ purpose: 'employment.health-management' as const, grantedAt: '2026-04-01T00:00:00Z' }];
    await expect(runWithPurpose({ purpose: 'employment.health-management', consents }, () => repo.find())).resolves.toEqual({ name: 'Leo', health: 'check-up ok' });
  });

  test('a frozen plain-object repository works (the proxy does not break its invariants); keys and "in" reflect the repository', () => {
    const guard = createGuard(defaultCatalogue);
    const raw = Object.freeze({ label: 'frozen', find(id: string) { return { id, name: 'N', card: '1' }; } });
    const repo = guardRepository(raw, { find: { subject: 'customer', operation: 'read', fields: { id: 'account', name: 'identity', card: 'payment' } } }, { guard });
    expect(runWithPurpose({ purpose: 'customer-support' }, () => repo.find('x'))).toEqual({ id: 'x', name: 'N' });
    expect(repo.label).toBe('frozen');
    expect(Object.keys(repo)).toEqual(['label', 'find']);
    expect('find' in repo).toBe(true);
    expect(() => repo.find('x')).toThrow(/no_purpose_in_scope/);
  });
});
