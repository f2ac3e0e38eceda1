/**
 * `npm run bench:peers`: purpose-guard against CASL, Casbin and accesscontrol
 * on the same 10,000 queries, after checking that every engine gives the same
 * answer as checkUse on every one of them.
 *
 * Options: `--rounds N` (default 9), `--queries N` (default 10000).
 */
import { compare, environment, formatRatio, report, table } from '../harness.js';
import { BASELINE, ENGINES } from './engines.js';
import { describeDisagreements, disagreements } from './verify.js';
import { generateWorkload, MIX, policyFacts, type QueryKind } from './workload.js';

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
console.log('\nmappings:');
for (const e of engines) console.log(`  ${e.name} [${e.fidelity}]: ${e.mapping}`);
