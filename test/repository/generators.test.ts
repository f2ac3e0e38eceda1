import { describe, expect, test } from 'vitest';
import { createGuard, defaultCatalogue, type Decision, type DecisionRecorder } from '../../src/index.js';
import { guardRepository, runWithPurpose } from '../../src/node.js';

interface Row {
  id: string;
  name: string;
  cardLast4: string;
}

class CustomerRepo {
  readonly calls: string[] = [];
  async *streamAll(): AsyncGenerator<Row, Row | undefined> {
    this.calls.push('streamAll');
    try {
      yield { id: 'c-1', name: 'Aiko', cardLast4: '4242' };
      yield { id: 'c-2', name: 'Ken', cardLast4: '1111' };
      return { id: 'total', name: 'two rows', cardLast4: '-' };
    } finally {
      this.calls.push('streamAll closed');
    }
  }
  *rows(): Generator<Row> {
    this.calls.push('rows');
    yield { id: 'c-1', name: 'Aiko', cardLast4: '4242' };
  }
}

const fields = { id: 'account', name: 'identity', cardLast4: 'payment' } as const;

function setup(recorder?: DecisionRecorder) {
  const guard = createGuard(defaultCatalogue, recorder === undefined ? {} : { recorder, auditPolicy: 'strict' });
  const raw = new CustomerRepo();
  const repo = guardRepository(raw, {
    streamAll: { subject: 'customer', operation: 'read', fields },
    rows: { subject: 'customer', operation: 'read', fields },
  }, { guard });
  return { raw, repo };
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of it) out.push(item);
  return out;
}

describe('generator methods', () => {
  test('an async generator: each row is minimised, and so is its return value', async () => {
    const { repo } = setup();
    const rows = await runWithPurpose({ purpose: 'customer-support' }, () => collect(repo.streamAll()));
    expect(rows).toEqual([{ id: 'c-1', name: 'Aiko' }, { id: 'c-2', name: 'Ken' }]);
    const it = runWithPurpose({ purpose: 'customer-support' }, () => repo.streamAll());
    await it.next();
    await it.next();
    expect(await it.next()).toEqual({ done: true, value: { id: 'total', name: 'two rows' } });
  });

  test('an async generator waits for the audit record to be acknowledged (strict) before it touches data', async () => {
    const events: Decision[] = [];
    let recorded!: () => void;
    const reached = new Promise<void>((r) => { recorded = r; });
    let release!: () => void;
    const slow: DecisionRecorder = { record: (d) => new Promise<void>((r) => { events.push(d); recorded(); release = r; }) };
    const { repo, raw } = setup(slow);
    const it = runWithPurpose({ purpose: 'billing' }, () => repo.streamAll());
    expect(events).toEqual([]);
    const first = it.next();
    await reached;
    expect(raw.calls).toEqual([]);
    release();
    expect(await first).toEqual({ done: false, value: { id: 'c-1', name: 'Aiko', cardLast4: '4242' } });
    expect(raw.calls).toEqual(['streamAll']);
    expect(events.map((e) => e.reason)).toEqual(['permitted']);
  });

  test('a failing audit record (strict) refuses the stream with audit_unavailable; the generator never runs', async () => {
    const { repo, raw } = setup({ record: () => Promise.reject(new Error('disk full')) });
    await expect(runWithPurpose({ purpose: 'billing' }, () => collect(repo.streamAll()))).rejects.toMatchObject({ reason: 'audit_unavailable' });
    expect(raw.calls).toEqual([]);
  });

  test('no purpose in scope: the first next() rejects, recorded; calling without iterating runs nothing', async () => {
    const events: Decision[] = [];
    const { repo, raw } = setup({ record: async (d) => void events.push(d) });
    const it = repo.streamAll();
    expect(events).toEqual([]);
    await expect(it.next()).rejects.toMatchObject({ reason: 'no_purpose_in_scope' });
    expect(events.map((e) => e.reason)).toEqual(['no_purpose_in_scope']);
    expect(await it.next()).toEqual({ done: true, value: undefined });
    expect(raw.calls).toEqual([]);
  });

  test('leaving the loop early closes the repository generator (its finally runs)', async () => {
    const { repo, raw } = setup();
    await runWithPurpose({ purpose: 'billing' }, async () => {
      for await (const row of repo.streamAll()) if (row.id === 'c-1') break;
    });
    expect(raw.calls).toEqual(['streamAll', 'streamAll closed']);
  });

  test('a sync generator: decided at the first next() under the scope of the call, rows minimised', () => {
    const { repo, raw } = setup();
    const it = runWithPurpose({ purpose: 'customer-support' }, () => repo.rows());
    expect(raw.calls).toEqual([]);
    expect([...it]).toEqual([{ id: 'c-1', name: 'Aiko' }]);
    expect(() => [...repo.rows()]).toThrow(/no_purpose_in_scope/);
    expect(raw.calls).toEqual(['rows']);
  });

  test('async: true on a sync generator is a start-up error: its iterator cannot wait for the audit record', () => {
    const guard = createGuard(defaultCatalogue);
    expect(() => guardRepository(new CustomerRepo(), { rows: { subject: 'customer', operation: 'read', async: true } }, { guard })).toThrow(/async/);
  });
});
