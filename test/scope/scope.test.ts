import { setImmediate as nextTick } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import { PurposeViolationError } from '../../src/index.js';
import { currentPurpose, currentScope, noPurposeInScope, runWithPurpose } from '../../src/node.js';

describe('runWithPurpose / currentPurpose', () => {
  test('no scope outside runWithPurpose', () => {
    expect(currentPurpose()).toBeUndefined();
    expect(currentScope()).toBeUndefined();
  });

  test('the purpose and context are visible synchronously and the return value passes through', () => {
    const out = runWithPurpose({ purpose: 'billing', actor: 'svc-1', subjectId: 'c-1' }, () => ({ p: currentPurpose(), s: currentScope() }));
    expect(out.p).toBe('billing');
    expect(out.s?.context).toEqual({ actor: 'svc-1', subjectId: 'c-1' });
    expect(Object.isFrozen(out.s)).toBe(true);
    expect(Object.isFrozen(out.s?.context)).toBe(true);
    expect(currentPurpose()).toBeUndefined();
  });

  test('a scope with only a purpose has no context (checkUse takes its fast path)', () => {
    expect(runWithPurpose({ purpose: 'billing' }, () => currentScope()?.context)).toBeUndefined();
  });

  test('survives await, timers, setImmediate and promise chains', async () => {
    const seen = await runWithPurpose({ purpose: 'customer-support' }, async () => {
      const out: (string | undefined)[] = [];
      await nextTick();
      out.push(currentPurpose());
      await new Promise<void>((resolve) => setTimeout(() => { out.push(currentPurpose()); resolve(); }, 1));
      await Promise.resolve().then(() => out.push(currentPurpose())).then(() => out.push(currentPurpose()));
      await new Promise<void>((resolve) => queueMicrotask(() => { out.push(currentPurpose()); resolve(); }));
      return out;
    });
    expect(seen).toEqual(Array(5).fill('customer-support'));
    expect(currentPurpose()).toBeUndefined();
  });

  test('nested scopes override, inherit unset context fields, and restore', async () => {
    await runWithPurpose({ purpose: 'customer-support', actor: 'agent-7', subjectId: 'c-1' }, async () => {
      const inner = await runWithPurpose({ purpose: 'fraud-prevention', actor: 'fraud-bot' }, async () => {
        await nextTick();
        return currentScope();
      });
      expect(inner?.purpose).toBe('fraud-prevention');
      expect(inner?.context).toEqual({ actor: 'fraud-bot', subjectId: 'c-1' });
      expect(inner?.parent?.purpose).toBe('customer-support');
      await nextTick();
      expect(currentPurpose()).toBe('customer-support');
      expect(currentScope()?.context?.actor).toBe('agent-7');
    });
  });

  test('the scope is a copy: mutating the input later changes nothing', () => {
    const input: { purpose: string; actor: string } = { purpose: 'billing', actor: 'a' };
    runWithPurpose(input, () => {
      input.purpose = 'marketing.analytics';
      input.actor = 'b';
      expect(currentPurpose()).toBe('billing');
      expect(currentScope()?.context?.actor).toBe('a');
    });
  });

  test('throws from fn propagate and the scope is left', () => {
    expect(() => runWithPurpose({ purpose: 'billing' }, () => { throw new Error('boom'); })).toThrow('boom');
    expect(currentPurpose()).toBeUndefined();
  });

  test.each([
    ['null', null],
    ['a string', 'billing'],
    ['an array', ['billing']],
    ['no purpose', { actor: 'a' }],
    ['an empty purpose', { purpose: '' }],
    ['a numeric purpose', { purpose: 42 }],
    ['an inherited purpose', Object.create({ purpose: 'billing' })],
    ['a throwing getter', { get purpose() { throw new Error('x'); } }],
  ])('malformed input (%s) throws invalid_input and does not run fn', (_, input) => {
    let ran = false;
    let error: unknown;
    try {
      runWithPurpose(input as never, () => { ran = true; });
    } catch (e) {
      error = e;
    }
    expect(ran).toBe(false);
    expect(error).toBeInstanceOf(PurposeViolationError);
    expect((error as PurposeViolationError).reason).toBe('invalid_input');
    expect((error as PurposeViolationError).decision.step).toBe('scope');
  });

  test('a non-function fn is a TypeError', () => {
    expect(() => runWithPurpose({ purpose: 'billing' }, 'x' as never)).toThrow(TypeError);
  });

  test('noPurposeInScope is a frozen no_purpose_in_scope deny', () => {
    const d = noPurposeInScope('customer', 'Repo.find');
    expect(d).toMatchObject({ allowed: false, reason: 'no_purpose_in_scope', subject: 'customer', step: 'scope' });
    expect(d.message).toContain('Repo.find');
    expect(Object.isFrozen(d)).toBe(true);
  });
});

test('the store is shared through a registered symbol, so a second copy of the package (ESM + CJS) sees the same scope', () => {
  const shared = (globalThis as Record<symbol, { getStore(): { purpose: string } | undefined } | undefined>)[Symbol.for('purpose-guard.scope.v2')];
  expect(shared).toBeDefined();
  expect(runWithPurpose({ purpose: 'billing' }, () => shared?.getStore()?.purpose)).toBe('billing');
});
