/**
 * `npm run bench:types`: what a large catalogue costs the type checker.
 *
 * Generates a catalogue of 500 purposes and 50 subjects as a `defineCatalogue({...})`
 * file plus typed `checkUse` call sites (200 permitted, half with a typed context,
 * and one `@ts-expect-error` misuse per subject) under `.tmp/bench-types/`, runs
 * `tsc --extendedDiagnostics` on it, and compares with the budget in `budget.ts`.
 * A 10-purpose, 5-subject catalogue is checked first as the floor (the
 * library's own types and @types/node).
 */
import { environment, table } from '../harness.js';
import { TYPECHECK_BUDGET as B } from './budget.js';
import { runTsc, writeTypeWorkload } from './generate.js';

console.log(`type-checking cost of a generated catalogue, ${environment()}\n`);
const rows: string[][] = [];
const results = [];
for (const [purposes, subjects] of [[10, 5], [B.purposes, B.subjects]] as const) {
  const dir = `.tmp/bench-types/${purposes}x${subjects}`;
  const { callSites, misuses } = writeTypeWorkload(dir, { purposes, subjects });
  const d = runTsc(dir);
  results.push(d);
  rows.push([`${purposes} purposes, ${subjects} subjects`, String(callSites), String(misuses), d.instantiations.toLocaleString('en'), d.types.toLocaleString('en'), `${d.checkSeconds.toFixed(2)} s`, `${d.totalSeconds.toFixed(2)} s`, `${(d.memoryKb / 1024).toFixed(0)} MB`]);
}
console.log(table(['catalogue', 'call sites', 'misuses rejected', 'instantiations', 'types', 'check time', 'total', 'memory'], rows));

const d = results[1] as NonNullable<(typeof results)[1]>;
const line = (what: string, value: number, budget: number, unit = ''): string =>
  `  ${what}: ${value.toLocaleString('en')}${unit} (budget ${budget.toLocaleString('en')}${unit}: ${value <= budget ? 'within' : 'OVER'})`;
console.log(`\nbudget for ${B.purposes} purposes x ${B.subjects} subjects (3x the figures measured when it was set; see bench/types/budget.ts):`);
console.log(line('instantiations', d.instantiations, B.instantiations));
console.log(line('types', d.types, B.types));
console.log(line('check time', Number(d.checkSeconds.toFixed(2)), B.checkSeconds, ' s'));
console.log(line('memory', Math.round(d.memoryKb / 1024), B.memoryMb, ' MB'));
console.log('\n(every @ts-expect-error misuse was rejected: tsc reported no errors)');
