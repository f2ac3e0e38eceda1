import { describe, expect, test } from 'vitest';
import { createAuditTrail, memorySink } from '../../src/audit.js';
import { createGuard, defaultCatalogue, PurposeViolationError } from '../../src/index.js';
import { guardRepository, runWithPurpose } from '../../src/node.js';

type Patch = { email?: string; cardLast4?: string };

class CustomerRepo {
  readonly calls: string[] = [];
  async update(_id: string, _patch: Patch): Promise<boolean> {
    this.calls.push('update');
    return true;
  }
  async find(id: string): Promise<{ id: string }> {
    this.calls.push('find');
    return { id };
  }
  findSync(id: string): { id: string } {
    this.calls.push('findSync');
    return { id };
  }
}

function setup(spec: Record<string, unknown>) {
  const memory = memorySink();
  const trail = createAuditTrail({ catalogue: defaultCatalogue, sinks: [memory] });
  const guard = createGuard(defaultCatalogue, { recorder: trail });
  const raw = new CustomerRepo();
  const repo = guardRepository(raw, spec as never, { guard, name: 'Customers' });
  return { memory, trail, raw, repo };
}

/** The refusal the call threw, and the audit events written for it. */
async function refusal(run: () => unknown, trail: { flush(ms: number): Promise<unknown> }, memory: ReturnType<typeof memorySink>) {
  let error: unknown;
  try {
    await runWithPurpose({ purpose: 'customer-support' }, run);
  } catch (e) {
    error = e;
  }
  await trail.flush(1000);
  expect(error).toBeInstanceOf(PurposeViolationError);
  return { decision: (error as PurposeViolationError).decision, events: memory.events() };
}

describe("a spec's functions of the call's arguments fail closed", () => {
  test('dataCategories answering something other than a list: invalid_input, recorded, the method never runs', async () => {
    const { memory, trail, raw, repo } = setup({ update: { subject: 'customer', operation: 'update', dataCategories: () => undefined } });
    const { decision, events } = await refusal(() => repo.update('c-1', { cardLast4: '9999' }), trail, memory);
    expect(decision).toMatchObject({ allowed: false, reason: 'invalid_input', field: 'dataCategories', subject: 'customer', purpose: 'customer-support' });
    expect(events.map((e) => [e.reason, e.method])).toEqual([['invalid_input', 'Customers.update']]);
    expect(raw.calls).toEqual([]);
  });

  test('dataCategories throwing: invalid_input, recorded, the method never runs', async () => {
    const { memory, trail, raw, repo } = setup({ update: { subject: 'customer', operation: 'update', dataCategories: () => { throw new Error('no map'); } } });
    const { decision, events } = await refusal(() => repo.update('c-1', {}), trail, memory);
    expect(decision).toMatchObject({ reason: 'invalid_input', field: 'dataCategories' });
    expect(events).toHaveLength(1);
    expect(raw.calls).toEqual([]);
  });

  test('context throwing: invalid_input (not a raw TypeError), recorded, and its message is not copied (it may hold personal data)', async () => {
    const { memory, trail, raw, repo } = setup({ find: { subject: 'customer', operation: 'read', context: (id: string) => ({ subjectId: id.trim() }) } });
    const { decision, events } = await refusal(() => repo.find(undefined as unknown as string), trail, memory);
    expect(decision).toMatchObject({ reason: 'invalid_input', field: 'context' });
    expect(decision.message).not.toContain('trim');
    expect(events.map((e) => [e.reason, e.method])).toEqual([['invalid_input', 'Customers.find']]);
    expect(raw.calls).toEqual([]);
  });

  test('context answering something other than a plain object (undefined, an array, a class instance): invalid_input', async () => {
    for (const answer of [undefined, null, [], 'c-1', new (class Ctx { subjectId = 'c-1'; })()]) {
      const { memory, trail, raw, repo } = setup({ find: { subject: 'customer', operation: 'read', context: () => answer } });
      const { decision, events } = await refusal(() => repo.find('c-1'), trail, memory);
      expect(decision).toMatchObject({ reason: 'invalid_input', field: 'context' });
      expect(events).toHaveLength(1);
      expect(raw.calls).toEqual([]);
    }
  });

  test('a synchronous method throws the same refusal synchronously, and it is recorded', async () => {
    const { memory, trail, raw, repo } = setup({ findSync: { subject: 'customer', operation: 'read', context: () => { throw new TypeError('x'); } } });
    expect(() => runWithPurpose({ purpose: 'customer-support' }, () => repo.findSync('c-1'))).toThrow(expect.objectContaining({ decision: expect.objectContaining({ reason: 'invalid_input', field: 'context' }) }));
    await trail.flush(1000);
    expect(memory.events().map((e) => [e.reason, e.method])).toEqual([['invalid_input', 'Customers.findSync']]);
    expect(raw.calls).toEqual([]);
  });

  test('functions that answer well still decide as before', async () => {
    const { repo, raw } = setup({ update: { subject: 'customer', operation: 'update', dataCategories: (_id: string, patch: Patch) => Object.keys(patch).map((k) => (k === 'email' ? 'contact' : 'payment')) } });
    await expect(runWithPurpose({ purpose: 'customer-support' }, () => repo.update('c-1', { email: 'a@example.jp' }))).resolves.toBe(true);
    await expect(runWithPurpose({ purpose: 'customer-support' }, () => repo.update('c-1', { cardLast4: '1' }))).rejects.toMatchObject({ reason: 'data_category_not_permitted' });
    expect(raw.calls).toEqual(['update']);
  });
});
