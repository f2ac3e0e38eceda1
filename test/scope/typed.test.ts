import { describe, expect, test } from 'vitest';
import { createGuard, defaultCatalogue, PurposeViolationError } from '../../src/index.js';
import { currentPurpose, purposeScopes, resolveDeclaration } from '../../src/node.js';

const scopes = purposeScopes(createGuard(defaultCatalogue));
const loose = scopes as unknown as { run: (input: unknown, fn: () => unknown) => unknown; declare: (d: unknown) => unknown };

function violation(fn: () => unknown): PurposeViolationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PurposeViolationError) return error;
    throw error;
  }
  throw new Error('expected a PurposeViolationError');
}

describe('purposeScopes(guard).run', () => {
  test('a declared purpose opens the scope like runWithPurpose', () => {
    expect(scopes.run({ purpose: 'customer-support', actor: 'agent-7' }, () => currentPurpose())).toBe('customer-support');
  });

  test('an undeclared purpose is refused before fn runs, with the catalogue named', () => {
    let ran = false;
    const error = violation(() => loose.run({ purpose: 'customer-suport' }, () => (ran = true)));
    expect(ran).toBe(false);
    expect(error.decision).toMatchObject({ allowed: false, reason: 'unknown_purpose', purpose: 'customer-suport', step: 'scope' });
    expect(error.message).toContain('Declared: ');
  });

  test('ids match literally: inherited names, case and spaces are not purposes', () => {
    for (const p of ['constructor', '__proto__', 'toString', 'Billing', ' billing', 'billing ']) {
      expect(violation(() => scopes.run({ purpose: p }, () => 1)).reason).toBe('unknown_purpose');
    }
  });

  test('input that is not a scope is left to runWithPurpose, which names the problem', () => {
    expect(violation(() => loose.run(null, () => 1)).reason).toBe('invalid_input');
    expect(violation(() => loose.run({ purpose: 42 }, () => 1)).reason).toBe('invalid_input');
  });
});

describe('purposeScopes(guard).declare', () => {
  test('a declared id or scope input is returned as it is', () => {
    expect(scopes.declare('billing')).toBe('billing');
    const input = { purpose: 'billing', actor: 'svc' } as const;
    expect(scopes.declare(input)).toBe(input);
  });

  test('an undeclared id or input throws a TypeError when the route is declared', () => {
    const id = ['bil', 'Iing'].join('');
    expect(() => scopes.declare(id)).toThrow(TypeError);
    expect(() => scopes.declare({ purpose: id })).toThrow(/not a purpose declared in catalogue/);
  });

  test("a declaration function's answer is checked on every request", () => {
    const declaration = scopes.declare((req: { p: string }) => ({ purpose: req.p, actor: 'x' }));
    expect(resolveDeclaration(declaration, { p: 'billing' })).toEqual({ purpose: 'billing', actor: 'x' });
    expect(violation(() => resolveDeclaration(declaration, { p: 'payroll' })).decision).toMatchObject({ reason: 'unknown_purpose', purpose: 'payroll' });
    const bare = scopes.declare(() => 'billing');
    expect(resolveDeclaration(bare, {})).toEqual({ purpose: 'billing' });
  });
});
