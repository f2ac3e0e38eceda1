import { describe, expect, test } from 'vitest';
import { createAuditTrail, memorySink } from '../../src/audit.js';
import { createGuard, defaultCatalogue, PurposeViolationError } from '../../src/index.js';
import { guardRepository, runWithPurpose } from '../../src/node.js';

class Customers {
  reads = 0;
  async findById(id: string): Promise<{ id: string }> {
    this.reads++;
    return { id };
  }
  async exportAll(): Promise<string[]> {
    this.reads++;
    return [];
  }
}

function setup() {
  const memory = memorySink();
  const trail = createAuditTrail({ catalogue: defaultCatalogue, sinks: [memory] });
  const guard = createGuard(defaultCatalogue, { recorder: trail });
  const raw = new Customers();
  const repo = guardRepository(raw, { findById: { subject: 'customer', operation: 'read', dataCategories: ['identity'] } }, { guard, name: 'Customers' });
  return { memory, trail, raw, repo };
}

describe('every guarded call is recorded, including denials made by the wrapper', () => {
  test('a call with no purpose in scope: one event, no_purpose_in_scope, no I/O', async () => {
    const { memory, trail, raw, repo } = setup();
    await expect(repo.findById('c-1')).rejects.toBeInstanceOf(PurposeViolationError);
    await trail.flush(1000);
    expect(memory.events().map((e) => e.reason)).toEqual(['no_purpose_in_scope']);
    expect(memory.events()[0]?.method).toBe('Customers.findById');
    expect(raw.reads).toBe(0);
  });

  test('a method the spec does not list: one event, no I/O', async () => {
    const { memory, trail, raw, repo } = setup();
    await runWithPurpose({ purpose: 'billing' }, async () => {
      expect(() => repo.exportAll()).toThrow(PurposeViolationError);
    });
    await trail.flush(1000);
    expect(memory.events()).toHaveLength(1);
    expect(memory.events()[0]).toMatchObject({ allowed: false, reason: 'invalid_input', method: 'Customers.exportAll' });
    expect(raw.reads).toBe(0);
  });

  test('an allowed call: one event, then the I/O', async () => {
    const { memory, trail, raw, repo } = setup();
    await runWithPurpose({ purpose: 'billing' }, () => repo.findById('c-1'));
    await trail.flush(1000);
    expect(memory.events().map((e) => [e.reason, e.method, e.operation])).toEqual([['permitted', 'Customers.findById', 'read']]);
    expect(raw.reads).toBe(1);
  });
});
