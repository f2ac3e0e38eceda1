import { runInNewContext } from 'node:vm';
import { describe, expect, test } from 'vitest';
import { createGuard, defaultCatalogue, type Decision, PurposeViolationError } from '../../src/index.js';

const guard = createGuard(defaultCatalogue, { clock: () => new Date('2026-11-24T00:00:00Z') });
const check = guard.checkUse as (s: unknown, p: unknown, c?: unknown) => Decision;
const assertUse = guard.assertUse as (s: unknown, p: unknown, c?: unknown) => Decision;

const notStrings: [string, unknown][] = [
  ['number', 42],
  ['null', null],
  ['undefined', undefined],
  ['array', ['billing']],
  ['object with toString', { toString: () => 'billing' }],
  ['String object', new String('billing')],
  ['symbol', Symbol('billing')],
  ['bigint', 1n],
  ['function', () => 'billing'],
  ['Proxy', new Proxy({}, { get: () => { throw new Error('trap'); } })],
];

describe('checkUse is total', () => {
  test.each(notStrings)('a purpose that is a %s is invalid_input', (_, purpose) => {
    const d = check('customer', purpose);
    expect(d).toMatchObject({ allowed: false, reason: 'invalid_input', field: 'purpose', subject: 'customer', purpose: '' });
  });

  test.each(notStrings)('a subject that is a %s is invalid_input', (_, subject) => {
    expect(check(subject, 'billing')).toMatchObject({ allowed: false, reason: 'invalid_input', field: 'subject' });
  });

  test.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', ' billing', 'billing ', 'Billing', 'BILLING', '', 'billing.', '.billing', 'billing-export', 'bill'])(
    'the purpose %j is unknown_purpose',
    (purpose) => {
      expect(check('customer', purpose)).toMatchObject({ allowed: false, reason: 'unknown_purpose', purpose });
    },
  );

  test.each(['__proto__', 'constructor', 'toString', ' customer', 'Customer', 'customers', ''])('the subject %j is unknown_subject', (subject) => {
    expect(check(subject, 'billing')).toMatchObject({ allowed: false, reason: 'unknown_subject', subject });
  });

  test('a 1 MB id is denied, and the message stays short', () => {
    const huge = 'b'.repeat(1 << 20);
    const d = check('customer', huge);
    expect(d.reason).toBe('unknown_purpose');
    expect(d.message.length).toBeLessThan(1000);
    expect(check(huge, 'billing').reason).toBe('unknown_subject');
  });

  test('look-alike and normalisation variants are not declared ids', () => {
    for (const p of ['bіlling' /* Cyrillic і */, 'billing\u200b', 'ｂｉｌｌｉｎｇ', 'billing\u0000']) expect(check('customer', p).reason).toBe('unknown_purpose');
  });

  test('a throwing getter in the context is invalid_context', () => {
    const context = {
      get consents(): never {
        throw new Error('boom');
      },
    };
    expect(check('customer', 'billing', context)).toMatchObject({ allowed: false, reason: 'invalid_context' });
  });

  test('revoked proxies, cyclic objects and null-prototype objects never throw', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    const bare = Object.create(null) as Record<string, unknown>;
    bare['now'] = new Date('2026-01-01T00:00:00Z');
    expect(check('customer', 'billing', proxy).reason).toBe('invalid_context');
    expect(check('customer', 'billing', cyclic).reason).toBe('invalid_context');
    expect(check('customer', 'billing', bare).allowed).toBe(true);
    expect(check('customer', 'billing', { consents: [cyclic] }).reason).toBe('invalid_context');
  });

  test.each([null, 42, 'now', [], true])('a context that is %j is invalid_context', (context) => {
    expect(check('customer', 'billing', context).reason).toBe('invalid_context');
  });

  test('a misspelt context field is rejected, not ignored', () => {
    const d = check('customer', 'marketing.analytics', { objection: [{ purpose: 'marketing', at: '2026-01-01T00:00:00Z' }] });
    expect(d).toMatchObject({ allowed: false, reason: 'invalid_context', field: 'context["objection"]' });
  });

  test('inherited properties are never read', () => {
    // Fields on the context's prototype are never read: such a context is refused as a whole, not read as empty.
    const polluted = Object.create({ objections: [{ purpose: 'marketing', at: 'garbage' }] }) as object;
    expect(check('customer', 'marketing.analytics', polluted)).toMatchObject({ reason: 'invalid_context', field: 'context' });
    expect(check('customer', 'marketing.analytics', polluted).message).toMatch(/must be a plain object/);
    const proto = Object.prototype as Record<string, unknown>;
    proto['exception'] = { ground: 'laws_and_regulations', reference: 'x' };
    try {
      expect(check('employee', 'marketing.analytics', {}).reason).toBe('purpose_not_permitted');
    } finally {
      delete proto['exception'];
    }
  });

  test('a context that is not a plain object is refused, not read as an empty one', () => {
    class RequestContext {
      get objections() {
        return [{ purpose: 'marketing', at: '2026-01-01T00:00:00Z' }];
      }
    }
    const notPlain: [string, object][] = [
      ['a class instance with getters', new RequestContext()],
      ['a Promise (a forgotten await)', Promise.resolve({ objections: [] })],
      ['a Map', new Map([['objections', []]])],
      ['a Date', new Date(0)],
    ];
    for (const [what, context] of notPlain) {
      expect(check('customer', 'marketing.analytics', context), what).toMatchObject({ allowed: false, reason: 'invalid_context', field: 'context' });
    }
    // Object.create(defaults): the fields are its prototype's, which the guard never reads.
    expect(check('customer', 'marketing.analytics', Object.create({ objections: [] }))).toMatchObject({ reason: 'invalid_context', field: 'context' });
    // Plain: an object literal, a prototype-free object, and one from another realm.
    expect(check('customer', 'billing', Object.assign(Object.create(null), { actor: 'svc' })).allowed).toBe(true);
    expect(check('customer', 'billing', runInNewContext('({ actor: "svc" })')).allowed).toBe(true);
  });

  test('a hasOwnProperty replaced on Object.prototype is never called, and fields stay own', () => {
    const proto = Object.prototype as Record<string, unknown>;
    const original = proto['hasOwnProperty'];
    let calls = 0;
    proto['hasOwnProperty'] = () => {
      calls++;
      return true;
    };
    proto['objections'] = [{ purpose: 'marketing', at: '2026-01-01T00:00:00Z' }];
    try {
      // The planted objection would deny; the liar would call it the context's own.
      expect(check('customer', 'marketing.analytics', { actor: 'a' }).allowed).toBe(true);
      expect(calls).toBe(0);
    } finally {
      proto['hasOwnProperty'] = original;
      delete proto['objections'];
    }
  });

  test('a hasOwnProperty replaced by a getter halfway through the reading is never called either', () => {
    const proto = Object.prototype as Record<string, unknown>;
    const original = proto['hasOwnProperty'];
    let calls = 0;
    proto['exception'] = { ground: 'laws_and_regulations', reference: 'x' };
    try {
      const context = {
        get actor() {
          proto['hasOwnProperty'] = () => {
            calls++;
            return true;
          };
          return 'svc';
        },
      };
      // for...in lists the inherited exception after the own keys: the liar would let it rescue the pair.
      expect(check('employee', 'marketing.analytics', context).reason).toBe('purpose_not_permitted');
      expect(calls).toBe(0);
    } finally {
      proto['hasOwnProperty'] = original;
      delete proto['exception'];
    }
  });

  test('inputs are never mutated', () => {
    const context = {
      now: new Date('2026-06-01T00:00:00Z'),
      consents: [{ purpose: 'marketing.notifications', grantedAt: '2026-01-01T00:00:00Z', id: 'c' }],
      dataCategories: ['contact'],
    };
    const before = structuredClone(context);
    deepFreeze(context);
    expect(check('customer', 'marketing.notifications', context).allowed).toBe(true);
    expect(context).toEqual(before);
  });

  test('a getter is read once, so validation and the rules see the same value', () => {
    let reads = 0;
    const context = {
      get now() {
        reads++;
        return reads === 1 ? new Date('2026-06-01T00:00:00Z') : 'garbage';
      },
    };
    expect(check('customer', 'billing', context).allowed).toBe(true);
    expect(reads).toBe(1);
  });

  test('checkUse may be called from inside a context getter', () => {
    const context = {
      get consents() {
        expect(check('customer', 'marketing.notifications', { consents: [] }).reason).toBe('consent_required');
        return [{ purpose: 'marketing.notifications', grantedAt: '2026-01-01T00:00:00Z' }];
      },
    };
    expect(check('customer', 'marketing.notifications', context).allowed).toBe(true);
  });
});

describe('assertUse', () => {
  test('returns the allow decision', () => {
    expect(assertUse('customer', 'billing')).toMatchObject({ allowed: true, reason: 'permitted' });
  });

  test('throws PurposeViolationError carrying the decision', () => {
    let caught: unknown;
    try {
      assertUse('employee', 'marketing.analytics');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PurposeViolationError);
    const error = caught as PurposeViolationError;
    expect(error.name).toBe('PurposeViolationError');
    expect(error.reason).toBe('purpose_not_permitted');
    expect(error.decision.subject).toBe('employee');
    expect(error.message).toContain('purpose_not_permitted');
  });

  test('throws for bad input too, never returns a deny', () => {
    expect(() => assertUse(null, 'billing')).toThrow(PurposeViolationError);
  });
});

function deepFreeze(value: unknown): void {
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
}
