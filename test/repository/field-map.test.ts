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
});
