import { describe, expect, test } from 'vitest';
import { createGuard, defaultCatalogue } from '../../src/index.js';
import { currentPurpose, currentScope, runWithoutPurpose, runWithPurpose } from '../../src/node.js';
import { isSealed } from '../../src/scope/scope.js';

const guard = createGuard(defaultCatalogue);
const now = new Date('2026-06-01T00:00:00Z');
const check = (purpose: string) => guard.checkUse('customer', purpose as never, currentScope()?.context as never).reason;

describe('a scope decides on its context as it was when it opened', () => {
  test('objections pushed into the input after the scope opened change nothing, and the lists are frozen', () => {
    const input = { purpose: 'marketing.analytics', now, objections: [] as { purpose: string; at: Date }[] };
    runWithPurpose(input, () => {
      input.objections.push({ purpose: 'marketing', at: new Date('2026-01-01T00:00:00Z') });
      expect(check('marketing.analytics')).toBe('permitted');
      expect(Object.isFrozen(currentScope()?.context?.objections)).toBe(true);
    });
    // The same input, read afresh, holds the objection: the scope's copy was taken before it.
    runWithPurpose(input, () => expect(check('marketing.analytics')).toBe('objected'));
  });

  test('a consent withdrawn on the input record, or a Date moved, after the scope opened changes nothing', () => {
    const consent: { purpose: string; grantedAt: Date; withdrawnAt?: Date } = { purpose: 'marketing', grantedAt: new Date('2026-01-01T00:00:00Z') };
    const input = { purpose: 'marketing.notifications', now, consents: [consent] };
    runWithPurpose(input, () => {
      consent.withdrawnAt = new Date('2026-02-01T00:00:00Z');
      consent.grantedAt.setTime(Date.parse('2027-01-01T00:00:00Z'));
      expect(check('marketing.notifications')).toBe('permitted');
      const copied = currentScope()?.context?.consents?.[0];
      expect(Object.isFrozen(copied)).toBe(true);
      expect(copied).not.toBe(consent);
    });
  });

  test('the copy decides as the input would: a non-enumerable own record field is still read, an own __proto__ key still refused', () => {
    const consent = { purpose: 'marketing', grantedAt: new Date('2026-01-01T00:00:00Z') };
    Object.defineProperty(consent, 'withdrawnAt', { value: new Date('2026-02-01T00:00:00Z'), enumerable: false });
    const direct = guard.checkUse('customer', 'marketing.notifications', { now, consents: [consent] }).reason;
    expect(direct).toBe('consent_withdrawn');
    runWithPurpose({ purpose: 'marketing.notifications', now, consents: [consent] }, () => expect(check('marketing.notifications')).toBe(direct));

    const parsed = JSON.parse('{"purpose":"marketing","grantedAt":"2026-01-01T00:00:00Z","__proto__":{"x":1}}') as object;
    expect(guard.checkUse('customer', 'marketing.notifications', { now, consents: [parsed] } as never).reason).toBe('invalid_context');
    runWithPurpose({ purpose: 'marketing.notifications', now, consents: [parsed] } as never, () => {
      expect(check('marketing.notifications')).toBe('invalid_context');
      expect(Object.getPrototypeOf(currentScope()?.context?.consents?.[0])).toBe(Object.prototype);
    });
  });

  test('Dates are copied as their RFC 3339 strings, which nothing can move (a Date cannot be frozen)', () => {
    const expiresAt = new Date('2026-03-01T00:00:00Z');
    runWithPurpose({ purpose: 'marketing.notifications', now, consents: [{ purpose: 'marketing', grantedAt: new Date('2026-01-01T00:00:00Z'), expiresAt }] }, () => {
      const copied = currentScope()?.context?.consents?.[0];
      expect(copied?.expiresAt).toBe('2026-03-01T00:00:00.000Z');
      expect(currentScope()?.context?.now).toBe('2026-06-01T00:00:00.000Z');
      expect(check('marketing.notifications')).toBe('consent_expired');
      expect(isSealed(currentScope()?.context as object)).toBe(true);
    });
    // A Date past year 9999 has no RFC 3339 string: kept as it is, and the scope is not sealed.
    runWithPurpose({ purpose: 'billing', relationshipEndedAt: new Date(8.64e15) }, () => {
      expect(currentScope()?.context?.relationshipEndedAt).toBeInstanceOf(Date);
      expect(isSealed(currentScope()?.context as object)).toBe(false);
    });
  });

  test.each([
    ['actor', { actor: new Date('2026-01-01T00:00:00Z') }, 'billing'],
    ['subjectId', { subjectId: new Date('2026-01-01T00:00:00Z') }, 'billing'],
    ['exception.reference', { exception: { ground: 'laws_and_regulations', reference: new Date('2026-01-01T00:00:00Z') } }, 'billing'],
    ['a consent id', { now, consents: [{ purpose: 'marketing', grantedAt: new Date('2026-01-01T00:00:00Z'), id: new Date('2026-01-01T00:00:00Z') }] }, 'marketing.notifications'],
  ])('a Date where checkUse wants text (%s) stays a Date in the copy, and is refused there as in the input', (_field, fields, purpose) => {
    const direct = guard.checkUse('customer', purpose as never, fields as never).reason;
    expect(direct).toBe('invalid_context');
    runWithPurpose({ purpose, ...fields } as never, () => {
      expect(check(purpose)).toBe(direct);
      expect(isSealed(currentScope()?.context as object)).toBe(false);
    });
  });

  test('a Proxy record is kept as it is (its keys and descriptors may disagree), so the scope decides as the input does', () => {
    const target = { purpose: 'marketing', grantedAt: '2026-01-01T00:00:00Z', withdrawnAt: '2026-02-01T00:00:00Z' };
    const record = new Proxy(target, { ownKeys: (t) => Reflect.ownKeys(t).filter((k) => k !== 'withdrawnAt') });
    const direct = guard.checkUse('customer', 'marketing.notifications', { now, consents: [record] }).reason;
    expect(direct).toBe('consent_withdrawn');
    runWithPurpose({ purpose: 'marketing.notifications', now, consents: [record] }, () => {
      expect(currentScope()?.context?.consents?.[0]).toBe(record);
      expect(check('marketing.notifications')).toBe(direct);
      expect(isSealed(currentScope()?.context as object)).toBe(false);
    });
  });

  test('a record that is a class instance is kept as it is, and its scope is not sealed', () => {
    class ConsentRow {
      constructor(readonly purpose: string, readonly grantedAt: Date) {}
    }
    const row = new ConsentRow('marketing', new Date('2026-01-01T00:00:00Z'));
    runWithPurpose({ purpose: 'marketing.notifications', now, consents: [row] }, () => {
      const context = currentScope()?.context as object;
      expect(currentScope()?.context?.consents?.[0]).toBe(row);
      expect(isSealed(context)).toBe(false);
      // A nested scope over a live one is live too.
      runWithPurpose({ purpose: 'marketing.notifications', actor: 'a' }, () => expect(isSealed(currentScope()?.context as object)).toBe(false));
    });
    runWithPurpose({ purpose: 'billing', now, consents: [{ purpose: 'marketing', grantedAt: now }] }, () => {
      expect(isSealed(currentScope()?.context as object)).toBe(true);
    });
  });
});

describe('nested scopes and legal exceptions', () => {
  const exception = { ground: 'laws_and_regulations' as const, reference: 'Code of Criminal Procedure Art. 197(2), request 2026-17' };
  const objections = [{ purpose: 'marketing', at: new Date('2026-01-01T00:00:00Z') }];

  test('a nested scope for another purpose does not inherit the exception', () => {
    runWithPurpose({ purpose: 'fraud-prevention', now, exception, objections }, () => {
      expect(check('fraud-prevention')).toBe('permitted_by_exception');
      runWithPurpose({ purpose: 'marketing.analytics' }, () => {
        expect(currentScope()?.context?.exception).toBeUndefined();
        expect(check('marketing.analytics')).toBe('objected');
      });
      // The same purpose, nested (to add an actor, say), keeps it.
      runWithPurpose({ purpose: 'fraud-prevention', actor: 'bot' }, () => expect(currentScope()?.context?.exception).toEqual(exception));
    });
  });

  test('a field given as undefined is inherited, as one left out is: an inner scope cannot drop a restriction by accident', () => {
    const maybe: { objections?: typeof objections; dataCategories?: string[] } = {};
    runWithPurpose({ purpose: 'customer-support', now, objections, actor: 'agent-7' }, () => {
      runWithPurpose({ purpose: 'marketing.surveys', objections: maybe.objections, dataCategories: maybe.dataCategories }, () => {
        expect(currentScope()?.context).toMatchObject({ objections: [{ purpose: 'marketing', at: '2026-01-01T00:00:00.000Z' }], actor: 'agent-7' });
        expect(check('marketing.surveys')).toBe('objected');
      });
    });
  });
});

describe('runWithoutPurpose', () => {
  test('runs outside every scope, across await, and returns its value', async () => {
    await runWithPurpose({ purpose: 'billing', actor: 'agent-7' }, async () => {
      const seen = await runWithoutPurpose(async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return [currentPurpose(), currentScope()];
      });
      expect(seen).toEqual([undefined, undefined]);
      expect(currentPurpose()).toBe('billing');
    });
  });

  test('a timer started in it does not carry the request scope', async () => {
    const seen = await runWithPurpose({ purpose: 'billing' }, () =>
      new Promise<unknown[]>((resolve) => {
        const out: unknown[] = [];
        setTimeout(() => out.push(currentPurpose()), 1);
        runWithoutPurpose(() => setTimeout(() => resolve([...out, currentPurpose()]), 5));
      }));
    expect(seen).toEqual(['billing', undefined]);
  });

  test('refuses a non-function', () => {
    expect(() => runWithoutPurpose(42 as never)).toThrow(TypeError);
  });
});
