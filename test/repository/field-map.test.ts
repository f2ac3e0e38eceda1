import { describe, expect, test } from 'vitest';
import { createGuard, defaultCatalogue, type FieldCategories } from '../../src/index.js';
import { guardRepository, runWithPurpose } from '../../src/node.js';

interface Employee {
  name: string;
  salary: number;
  checkup?: string;
  manager: Employee | null;
}

const row: Employee = { name: 'Ken', salary: 1, checkup: 'ok', manager: { name: 'Yui', salary: 2, checkup: 'ok', manager: null } };

describe('guardRepository field maps', () => {
  test('a recursive field map (for recursive records) wraps, minimises every level, and its categories are checked', async () => {
    const guard = createGuard(defaultCatalogue, { clock: () => new Date('2026-11-24T00:00:00Z') });
    const fields: Record<string, FieldCategories<'identity' | 'payroll' | 'health'>[string]> = { name: 'identity', salary: 'payroll', checkup: 'health' };
    fields['manager'] = fields;
    const repo = guardRepository({ async find(): Promise<Employee> { return row; } }, { find: { subject: 'employee', operation: 'read', fields } }, { guard });
    await expect(runWithPurpose({ purpose: 'employment.administration' }, () => repo.find())).resolves.toEqual({
      name: 'Ken', salary: 1, manager: { name: 'Yui', salary: 2, manager: null },
    });
    // health is named one level down the cycle too: disclosing it needs the consent rule 6 asks for.
    await expect(runWithPurpose({ purpose: 'employment.health-management' }, () => repo.find())).rejects.toMatchObject({ reason: 'consent_required' });
  });

  test('the field map is copied at wrap time: completing or changing the shared map later changes nothing', async () => {
    const guard = createGuard(defaultCatalogue, { clock: () => new Date('2026-11-24T00:00:00Z') });
    const shared: Record<string, FieldCategories<'identity' | 'payroll' | 'health'>[string]> = { name: 'identity', manager: { name: 'identity' } };
    const repo = guardRepository({ async find(): Promise<Employee> { return row; } }, { find: { subject: 'employee', operation: 'read', fields: shared } }, { guard });
    // A map completed by another module after start-up: the consent check was made for the map as it was wrapped.
    shared['checkup'] = 'health';
    (shared['manager'] as Record<string, unknown>)['checkup'] = 'health';
    await expect(runWithPurpose({ purpose: 'employment.health-management' }, () => repo.find())).resolves.toEqual({ name: 'Ken', manager: { name: 'Yui' } });
  });

  test('a field map value that is not a category, a list of categories or a map is a start-up error', () => {
    const guard = createGuard(defaultCatalogue);
    const wrap = (fields: unknown) => () => guardRepository({ async find() { return row; } }, { find: { subject: 'employee', operation: 'read', fields: fields as never } }, { guard });
    expect(wrap({ name: null })).toThrow(/fields\.name/);
    expect(wrap({ manager: { name: 7 } })).toThrow(/fields\.manager\.name/);
    expect(wrap({ name: ['identity', 1] })).toThrow(TypeError);
    expect(wrap({ name: 'identity', manager: undefined })).not.toThrow();
  });
});
