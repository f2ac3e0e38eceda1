import { describe, expect, test } from 'vitest';
import { currentPurpose, currentScope, runWithPurpose } from '../../src/node.js';

describe("runWithPurpose's bound: a scope ends when its bound stops holding", () => {
  test('the scope applies while bound() is true, and its parent is back once it is not', () => {
    let inside = true;
    runWithPurpose({ purpose: 'customer-support', actor: 'agent-7' }, () => {
      runWithPurpose({ purpose: 'billing' }, () => {
        expect(currentPurpose()).toBe('billing');
        inside = false;
        expect(currentPurpose()).toBe('customer-support');
        expect(currentScope()?.context?.actor).toBe('agent-7');
        inside = true;
        expect(currentPurpose()).toBe('billing');
      }, { bound: () => inside });
    });
  });

  test('a scope opened inside an ended one ends with it, and does not inherit its context', () => {
    let inside = true;
    runWithPurpose({ purpose: 'billing', actor: 'route-actor' }, () => {
      inside = false;
      runWithPurpose({ purpose: 'customer-support' }, () => {
        expect(currentScope()?.context).toBeUndefined();
        inside = true;
        // The inner scope's parent was read while the outer one had ended.
        expect(currentScope()?.parent).toBeUndefined();
      });
      inside = true;
      runWithPurpose({ purpose: 'customer-support' }, () => {
        expect(currentPurpose()).toBe('customer-support');
        inside = false;
        expect(currentPurpose()).toBeUndefined();
      });
    }, { bound: () => inside });
  });

  test('a bound that throws or answers anything but true has ended its scope', () => {
    for (const bound of [() => { throw new Error('gone'); }, () => 1 as unknown as boolean, () => 'true' as unknown as boolean]) {
      runWithPurpose({ purpose: 'billing' }, () => expect(currentPurpose()).toBeUndefined(), { bound });
    }
  });

  test('a bound that is not a function is a TypeError and fn does not run; one on a polluted Object.prototype is not read', () => {
    let ran = false;
    expect(() => runWithPurpose({ purpose: 'billing' }, () => { ran = true; }, { bound: true as never })).toThrow(TypeError);
    expect(ran).toBe(false);
    Object.defineProperty(Object.prototype, 'bound', { value: () => false, configurable: true, writable: true });
    try {
      runWithPurpose({ purpose: 'billing' }, () => expect(currentPurpose()).toBe('billing'), {});
    } finally {
      delete (Object.prototype as { bound?: unknown }).bound;
    }
  });
});
