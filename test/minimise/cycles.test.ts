import { describe, expect, test } from 'vitest';
import { createAuditTrail, memorySink } from '../../src/audit.js';
import { createGuard, defaultCatalogue, type FieldCategories } from '../../src/index.js';
import { minimise } from '../../src/minimise/index.js';
import { guardRepository, runWithPurpose } from '../../src/node.js';

interface Employee {
  name: string;
  salary?: number;
  manager: Employee | null;
  reports: Employee[];
}

const guard = createGuard(defaultCatalogue, { clock: () => new Date('2026-11-24T00:00:00Z') });
const admin = guard.assertUse('employee', 'employment.administration');
const communication = guard.assertUse('employee', 'business-communication');

/** `{ name, salary, manager, reports }`, with manager and reports mapped by the map itself. */
function recursiveMap(): FieldCategories<'identity' | 'payroll'> {
  const map: Record<string, FieldCategories<'identity' | 'payroll'>[string]> = { name: 'identity', salary: 'payroll' };
  map['manager'] = map;
  map['reports'] = map;
  return map;
}

/** An ORM-style graph with back-references: boss.reports[0].manager === boss. */
function team(): { boss: Employee; ken: Employee; aoi: Employee } {
  const boss: Employee = { name: 'Yui', salary: 3, manager: null, reports: [] };
  const ken: Employee = { name: 'Ken', salary: 1, manager: boss, reports: [] };
  const aoi: Employee = { name: 'Aoi', salary: 2, manager: boss, reports: [] };
  boss.reports.push(ken, aoi);
  return { boss, ken, aoi };
}

describe('minimise: record graphs with cycles and shared records', () => {
  test('a cycle in the input (a back-reference under a recursive map) is the same cycle in the output', () => {
    const { ken } = team();
    const out = minimise(ken, recursiveMap(), communication, defaultCatalogue);
    // business-communication may not see payroll: salary is gone at every level of the cycle.
    expect(out.name).toBe('Ken');
    expect(out).not.toHaveProperty('salary');
    const boss = out.manager as Employee;
    expect(boss).toMatchObject({ name: 'Yui', manager: null });
    expect(boss).not.toHaveProperty('salary');
    expect(boss.reports).toHaveLength(2);
    expect(boss.reports[0]).toBe(out); // the back-reference points at the copy, not at the input
    expect(boss.reports[1]?.manager).toBe(boss);
    expect(boss.reports[1]).not.toHaveProperty('salary');
  });

  test('the input is not mutated, and no input object is handed out', () => {
    const { boss, ken, aoi } = team();
    const out = minimise(boss, recursiveMap(), communication, defaultCatalogue);
    expect(boss).toEqual({ name: 'Yui', salary: 3, manager: null, reports: [ken, aoi] });
    expect(ken.manager).toBe(boss);
    expect(out).not.toBe(boss);
    expect(out.reports).not.toBe(boss.reports);
    expect(out.reports[0]).not.toBe(ken);
    expect(out.reports[0]?.manager).toBe(out);
  });

  test('a record shared by two fields under the same map stays shared; under another map it is another copy', () => {
    const person = { name: 'Rin', email: 'rin@example.jp', salary: 9 };
    const map = { author: { name: 'identity' }, reviewer: { name: 'identity', email: 'business-contact' } } as const;
    const out = minimise({ author: person, reviewer: person }, map, communication, defaultCatalogue);
    expect(out.author).toEqual({ name: 'Rin' });
    expect(out.reviewer).toEqual({ name: 'Rin', email: 'rin@example.jp' });
    const inner = { name: 'identity' } as const;
    const same = minimise({ a: person, b: person }, { a: inner, b: inner }, communication, defaultCatalogue);
    expect(same.a).toBe(same.b);
  });

  test('an array that contains itself, and a deep chain, are copied without overflowing the stack', () => {
    const loop: unknown[] = [];
    loop.push({ name: 'A', salary: 1 }, loop);
    const out = minimise(loop, { name: 'identity' }, communication, defaultCatalogue) as unknown[];
    expect(out[0]).toEqual({ name: 'A' });
    expect(out[1]).toBe(out);
    let chain: Employee | null = null;
    for (let i = 0; i < 100_000; i++) chain = { name: `e${i}`, salary: i, manager: chain, reports: [] };
    let copy: Employee | null = minimise(chain, recursiveMap(), admin, defaultCatalogue);
    let depth = 0;
    for (; copy !== null; copy = copy.manager) depth++;
    expect(depth).toBe(100_000);
  });

  test('guardRepository with a recursive map returns the cyclic record it audited as permitted', async () => {
    const memory = memorySink();
    const trail = createAuditTrail({ catalogue: defaultCatalogue, sinks: [memory] });
    const audited = createGuard(defaultCatalogue, { recorder: trail, clock: () => new Date('2026-11-24T00:00:00Z') });
    const repo = guardRepository({ async find(): Promise<Employee> { return team().ken; } }, { find: { subject: 'employee', operation: 'read', fields: recursiveMap() } }, { guard: audited });
    const out = await runWithPurpose({ purpose: 'employment.administration' }, () => repo.find());
    expect(out.manager?.reports[0]).toBe(out);
    expect(out.manager?.salary).toBe(3);
    await trail.flush(1000);
    expect(memory.events().map((e) => e.reason)).toEqual(['permitted']);
  });
});
