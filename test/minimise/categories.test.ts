import { describe, expect, test } from 'vitest';
import { fieldMapCategories, type FieldCategories } from '../../src/minimise/index.js';

describe('fieldMapCategories', () => {
  test('every category of the map, nested maps and lists included', () => {
    expect([...fieldMapCategories({ name: 'identity', card: { last4: 'payment' }, total: ['transaction', 'payment'] })]).toEqual(['identity', 'payment', 'transaction']);
  });

  test('a recursive map (for recursive records) is read once per nested map, not until the stack overflows', () => {
    const employee: Record<string, FieldCategories[string]> = { name: 'identity' };
    const manager: Record<string, FieldCategories[string]> = { name: 'identity', checkup: 'health', reports: employee };
    employee['manager'] = manager;
    employee['self'] = employee;
    expect([...fieldMapCategories(employee)]).toEqual(['identity', 'health']);
  });

  test('a map shared by two fields is not a cycle', () => {
    const address = { city: 'contact' } as const;
    expect([...fieldMapCategories({ home: address, work: address, name: 'identity' })]).toEqual(['contact', 'identity']);
  });
});
