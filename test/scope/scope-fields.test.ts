import { describe, expect, test } from 'vitest';
import { PurposeViolationError } from '../../src/index.js';
import { currentScope, runWithPurpose } from '../../src/node.js';

describe('scope fields are checked like context fields', () => {
  test.each([
    ['a misspelt field', { purpose: 'billing', objection: [] }],
    ['a misspelt field set to undefined', { purpose: 'billing', consent: undefined }],
    ['a __proto__ key from JSON.parse', JSON.parse('{"purpose":"billing","__proto__":{"exception":{"ground":"laws_and_regulations","reference":"x"}}}')],
  ])('%s throws before fn runs', (_, input) => {
    let ran = false;
    expect(() => runWithPurpose(input, () => (ran = true))).toThrow(PurposeViolationError);
    expect(ran).toBe(false);
  });

  test('known fields are kept', () => {
    runWithPurpose({ purpose: 'billing', actor: 'svc', dataCategories: ['contact'] }, () => {
      expect(currentScope()?.context).toEqual({ actor: 'svc', dataCategories: ['contact'] });
    });
  });
});
