import { describe, expect, test } from 'vitest';
import { createAuditTrail, memorySink } from '../../src/audit.js';
import { createGuard, defaultCatalogue, PurposeViolationError } from '../../src/index.js';
import { guardRepository, runWithPurpose } from '../../src/node.js';

const now = new Date('2026-06-01T00:00:00Z');

class Mailer {
  sent = 0;
  send(to: string): string {
    this.sent++;
    return to;
  }
}

function setup() {
  const memory = memorySink();
  const guard = createGuard(defaultCatalogue, { recorder: createAuditTrail({ catalogue: defaultCatalogue, sinks: [memory] }) });
  const raw = new Mailer();
  const repo = guardRepository(raw, { send: { subject: 'customer', operation: 'write' } }, { guard, name: 'Mailer' });
  return { memory, raw, repo };
}

describe('synchronous methods', () => {
  test('are recorded with the method, the operation and via guardRepository, as async ones are', () => {
    const { memory, repo } = setup();
    runWithPurpose({ purpose: 'billing' }, () => repo.send('a@example.com'));
    expect(memory.events().map((e) => [e.via, e.method, e.operation, e.allowed])).toEqual([['guardRepository', 'Mailer.send', 'write', true]]);
  });
});

describe('a scope whose records are class instances (ORM entities) is read afresh on every call', () => {
  class ConsentRow {
    withdrawnAt: Date | undefined = undefined;
    constructor(readonly purpose: string, readonly grantedAt: Date) {}
  }

  test('a consent withdrawn on the entity between two calls denies the second', () => {
    const { raw, repo } = setup();
    const row = new ConsentRow('marketing', new Date('2026-01-01T00:00:00Z'));
    runWithPurpose({ purpose: 'marketing.notifications', now, consents: [row] }, () => {
      expect(repo.send('a@example.com')).toBe('a@example.com');
      row.withdrawnAt = new Date('2026-05-01T00:00:00Z');
      expect(() => repo.send('a@example.com')).toThrow(PurposeViolationError);
    });
    expect(raw.sent).toBe(1);
  });

  test('a scope of plain records is copied when it opens, so a change to the input after that changes nothing', () => {
    const { raw, repo } = setup();
    const consent: { purpose: string; grantedAt: Date; withdrawnAt?: Date } = { purpose: 'marketing', grantedAt: new Date('2026-01-01T00:00:00Z') };
    runWithPurpose({ purpose: 'marketing.notifications', now, consents: [consent] }, () => {
      repo.send('a@example.com');
      consent.withdrawnAt = new Date('2026-05-01T00:00:00Z');
      repo.send('a@example.com');
    });
    expect(raw.sent).toBe(2);
  });
});

describe("a scope's legal exception justifies the scope's purpose only", () => {
  const exception = { ground: 'laws_and_regulations' as const, reference: 'Code of Criminal Procedure Art. 197(2), request 2026-17' };
  const objections = [{ purpose: 'marketing', at: new Date('2026-01-01T00:00:00Z') }];

  test('a method that fixes another purpose is decided without it', () => {
    const memory = memorySink();
    const guard = createGuard(defaultCatalogue, { recorder: createAuditTrail({ catalogue: defaultCatalogue, sinks: [memory] }) });
    const raw = { surveys: 0, lookups: 0, survey() { this.surveys++; }, lookup() { this.lookups++; } };
    const repo = guardRepository(raw, {
      survey: { subject: 'customer', operation: 'read', purpose: 'marketing.surveys' },
      lookup: { subject: 'customer', operation: 'read' },
    }, { guard, name: 'Customers' });
    runWithPurpose({ purpose: 'fraud-prevention', now, exception, objections }, () => {
      repo.lookup(); // the scope's own purpose: the exception applies
      expect(() => repo.survey()).toThrow(PurposeViolationError);
    });
    expect([raw.lookups, raw.surveys]).toEqual([1, 0]);
    expect(memory.events().map((e) => [e.purpose, e.reason])).toEqual([
      ['fraud-prevention', 'permitted_by_exception'],
      ['marketing.surveys', 'objected'],
    ]);
  });
});
