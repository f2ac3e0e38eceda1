import { rmSync } from 'node:fs';
import { afterAll, expect, test } from 'vitest';
import { TYPECHECK_BUDGET } from '../../bench/types/budget.js';
import { runTsc, writeTypeWorkload } from '../../bench/types/generate.js';

// Counts, not time: instantiations and types are deterministic for a TypeScript version, so this cannot flake.
const dir = `.tmp/typecheck-budget-${process.pid}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test(
  `a ${TYPECHECK_BUDGET.purposes}-purpose, ${TYPECHECK_BUDGET.subjects}-subject catalogue type-checks within the instantiation and type budget, and every misuse is a compile error`,
  () => {
    const { callSites, misuses } = writeTypeWorkload(dir, { purposes: TYPECHECK_BUDGET.purposes, subjects: TYPECHECK_BUDGET.subjects });
    expect(callSites).toBe(200);
    expect(misuses).toBe(50);
    // runTsc throws on any type error, including an unused @ts-expect-error (a misuse that compiled).
    const d = runTsc(dir);
    expect(d.instantiations).toBeLessThanOrEqual(TYPECHECK_BUDGET.instantiations);
    expect(d.types).toBeLessThanOrEqual(TYPECHECK_BUDGET.types);
  },
  180_000,
);
