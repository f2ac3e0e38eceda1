import { describe, expect, test } from 'vitest';
import { createGuard, defaultCatalogue, type DecisionRecorder } from '../../src/index.js';
import { guardRepository, runWithPurpose } from '../../src/node.js';

class CustomerRepo {
  readonly calls: string[] = [];
  async cardOf(id: string): Promise<{ id: string; cardLast4: string }> {
    this.calls.push('cardOf');
    return { id, cardLast4: '4242' };
  }
  async dumpAll(): Promise<{ cardLast4: string }[]> {
    this.calls.push('dumpAll');
    return [{ cardLast4: '4242' }];
  }
}

/** Wraps while Object.prototype holds the given fields; the plans must not keep any of them. */
function wrapPolluted<T>(planted: Record<string, unknown>, wrap: () => T): T {
  const proto = Object.prototype as Record<string, unknown>;
  for (const [key, value] of Object.entries(planted)) proto[key] = value;
  try {
    return wrap();
  } finally {
    for (const key of Object.keys(planted)) delete proto[key];
  }
}

describe('guardRepository reads its options and method specs by their own fields only', () => {
  test('a planted purpose, unlisted and name are not configuration', async () => {
    const raw = new CustomerRepo();
    const guard = createGuard(defaultCatalogue);
    const repo = wrapPolluted({ purpose: 'billing', unlisted: 'passthrough', name: 'Planted' }, () =>
      guardRepository(raw, { cardOf: { subject: 'customer', operation: 'read', dataCategories: ['payment'] } }, { guard }),
    );
    await expect(repo.cardOf('c-1')).rejects.toMatchObject({ reason: 'no_purpose_in_scope' });
    expect(() => repo.dumpAll()).toThrow(expect.objectContaining({ decision: expect.objectContaining({ reason: 'invalid_input', rule: 'CustomerRepo.dumpAll' }) }));
    expect(raw.calls).toEqual([]);
  });

  test('a planted context cannot lend a consent', async () => {
    const raw = new CustomerRepo();
    const guard = createGuard(defaultCatalogue);
    const consents = [{ purpose: 'marketing.notifications', grantedAt: '2020-01-01T00:00:00Z' }];
    const repo = wrapPolluted({ context: () => ({ consents }) }, () => guardRepository(raw, { cardOf: { subject: 'customer', operation: 'read' } }, { guard }));
    await expect(runWithPurpose({ purpose: 'marketing.notifications' }, () => repo.cardOf('c-1'))).rejects.toMatchObject({ reason: 'consent_required' });
    expect(raw.calls).toEqual([]);
  });

  test('a planted async: false does not move an async method to the unawaited audit path', async () => {
    const raw = new CustomerRepo();
    const failing: DecisionRecorder = { record: () => Promise.reject(new Error('disk full')) };
    const guard = createGuard(defaultCatalogue, { recorder: failing, onAuditError: () => {} });
    const repo = wrapPolluted({ async: false }, () => guardRepository(raw, { cardOf: { subject: 'customer', operation: 'read' } }, { guard }));
    await expect(runWithPurpose({ purpose: 'billing' }, () => repo.cardOf('c-1'))).rejects.toMatchObject({ reason: 'audit_unavailable' });
    expect(raw.calls).toEqual([]);
  });

  test('planted fields and dataCategories are not read; a planted subject does not complete a spec', async () => {
    const raw = new CustomerRepo();
    const guard = createGuard(defaultCatalogue);
    const repo = wrapPolluted({ fields: { id: 'account' }, dataCategories: ['health'] }, () =>
      guardRepository(raw, { cardOf: { subject: 'customer', operation: 'read' } }, { guard }),
    );
    await expect(runWithPurpose({ purpose: 'billing' }, () => repo.cardOf('c-1'))).resolves.toEqual({ id: 'c-1', cardLast4: '4242' });
    expect(() => wrapPolluted({ subject: 'customer' }, () => guardRepository(raw, { cardOf: { operation: 'read' } } as never, { guard }))).toThrow(/subject/);
  });

  test('a guard that is not an own field of the options is refused at wrap time', () => {
    const guard = createGuard(defaultCatalogue);
    expect(() => guardRepository(new CustomerRepo(), {}, Object.create({ guard }) as { guard: typeof guard })).toThrow(TypeError);
    expect(() => wrapPolluted({ guard }, () => guardRepository(new CustomerRepo(), {}, {} as { guard: typeof guard }))).toThrow(/guard/);
  });
});
