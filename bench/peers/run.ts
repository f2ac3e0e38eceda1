/**
 * `npm run bench:peers`: purpose-guard against CASL, Casbin and accesscontrol
 * on the same 10,000 queries, after checking that every engine gives the same
 * answer as checkUse on every one of them.
 *
 * Options: `--rounds N` (default 9), `--queries N` (default 10000), `--by-kind`
 * (also time checkUse, the baseline and both validating references on each kind of query separately).
 */
import { compare, environment, formatRatio, report, table } from '../harness.js';
import { BASELINE, ENGINES } from './engines.js';
import { plainLookup } from './plain.js';
import { ownFieldsLookup, VALIDATING_OWN } from './plain-own.js';
import { VALIDATING_TRUSTING, validatingLookup } from './plain-strict.js';
import { purposeGuard } from './purpose-guard.js';
import { describeDisagreements, disagreements } from './verify.js';
import { generateWorkload, MIX, policyFacts, type Query, type QueryKind } from './workload.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const SEED = 20261125;
const count = arg('queries', 10_000);

const facts = policyFacts();
const queries = generateWorkload(count, SEED, facts);
const engines = await Promise.all(ENGINES.map((make) => make(queries, facts)));
const reference = engines.find((e) => e.name === 'purpose-guard checkUse');
if (reference === undefined) throw new Error('the purpose-guard engine is missing');

console.log(`purpose-guard peer benchmark: ${queries.length} queries (seed ${SEED}), ${environment()}\n`);
const allowed = await reference.answers();
const mix = (Object.keys(MIX) as QueryKind[]).map((kind) => {
  const idx = queries.flatMap((q, i) => (q.kind === kind ? [i] : []));
  return [kind, String(idx.length), String(idx.filter((i) => allowed[i]).length)];
});
console.log(table(['query kind', 'queries', 'allowed by checkUse'], mix));
console.log(`allowed: ${allowed.filter(Boolean).length} of ${queries.length}\n`);

const bad = await disagreements(engines, reference, queries);
if (bad.length > 0) {
  console.error(`ABORTED: the engines do not answer the same, so timing them would compare different questions.\n${describeDisagreements(bad)}`);
  process.exit(1);
}
console.log(`agreement: ${engines.filter((e) => e.verified).map((e) => e.name).join(', ')} give checkUse's answer on all ${queries.length} queries\n`);

const results = await compare(
  engines.map((e) => ({ name: e.name, ops: queries.length, fn: () => e.count() })),
  { rounds: arg('rounds', 9) },
);
console.log(report(results, BASELINE));

const ns = (name: string): number => results.find((r) => r.name === name)?.nsPerOp ?? Number.NaN;
const guard = ns('purpose-guard checkUse');
const vsBase = guard / ns(BASELINE);
const vsCasl = ns('CASL ability.can') / guard;
console.log(`\ntargets (issue 6):`);
console.log(`  checkUse / plain lookup = ${formatRatio(vsBase)} (target <= 2x): ${vsBase <= 2 ? 'met' : 'NOT met'}`);
console.log(`  CASL / checkUse         = ${formatRatio(vsCasl)} (target >= 3x): ${vsCasl >= 3 ? 'met' : 'NOT met'}`);
console.log(`  (for reference) the lookup with checkUse's input checks / plain lookup = ${formatRatio(ns(VALIDATING_TRUSTING) / ns(BASELINE))} trusting prototypes, ${formatRatio(ns(VALIDATING_OWN) / ns(BASELINE))} own fields only`);
console.log(`  (for reference) checkUse / the lookup with checkUse's input checks = ${formatRatio(guard / ns(VALIDATING_TRUSTING))} trusting prototypes, ${formatRatio(guard / ns(VALIDATING_OWN))} own fields only`);
console.log('\nmappings:');
for (const e of engines) console.log(`  ${e.name} [${e.fidelity}]: ${e.mapping}`);

if (process.argv.includes('--by-kind')) {
  // Where checkUse's time goes: each kind of query on its own (with / without a context), against the baseline on the same queries.
  const groups = new Map<string, Query[]>();
  for (const q of queries) {
    const key = `${q.kind}${q.context === undefined ? '' : ' (context)'}`;
    groups.set(key, [...(groups.get(key) ?? []), q]);
  }
  const cases = [];
  for (const [key, qs] of groups) {
    const g = await purposeGuard(qs, facts);
    const b = await plainLookup(qs, facts);
    const v = await validatingLookup(qs, facts);
    const o = await ownFieldsLookup(qs, facts);
    cases.push(
      { name: `checkUse ${key}`, ops: qs.length, fn: () => g.count() },
      { name: `baseline ${key}`, ops: qs.length, fn: () => b.count() },
      { name: `validating ${key}`, ops: qs.length, fn: () => v.count() },
      { name: `own ${key}`, ops: qs.length, fn: () => o.count() },
    );
  }
  const byKind = await compare(cases, { rounds: arg('rounds', 9), roundMs: 30, warmupMs: 100 });
  const rows = [...groups].map(([key, qs]) => {
    const g = byKind.find((r) => r.name === `checkUse ${key}`)?.nsPerOp ?? Number.NaN;
    const b = byKind.find((r) => r.name === `baseline ${key}`)?.nsPerOp ?? Number.NaN;
    const v = byKind.find((r) => r.name === `validating ${key}`)?.nsPerOp ?? Number.NaN;
    const o = byKind.find((r) => r.name === `own ${key}`)?.nsPerOp ?? Number.NaN;
    const ratioTo = (x: number) => [`${x.toFixed(1)} ns`, formatRatio(g / x)];
    return [key, String(qs.length), `${g.toFixed(1)} ns`, ...ratioTo(b), ...ratioTo(v), ...ratioTo(o), `${((g * qs.length) / queries.length).toFixed(1)} ns`];
  });
  const headers = ['kind', 'queries', 'checkUse', 'baseline', 'ratio', 'trusting', 'ratio', 'own fields', 'ratio', 'share of checkUse mean'];
  console.log(`\nby kind of query (each ratio is checkUse / that engine):\n${table(headers, rows)}`);
}
