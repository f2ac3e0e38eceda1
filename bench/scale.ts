/**
 * `npm run bench:scale`: does the cost of a check stay flat as the catalogue grows?
 *
 * For generated catalogues of 10 to 10,000 purposes and hierarchy depths 1 to
 * 8: ns/check (no context, and with a consent and a data category) against a
 * plain Map/Set lookup of the same pairs in the same run, `createGuard`
 * compile time, and the heap the guard holds (after compiling, and after the
 * queried pairs' outcomes have been built). Queries spread over thousands of
 * different pairs, so no single hot key flatters the figures.
 *
 * Each catalogue is measured in processes of its own (as JMH forks per
 * benchmark): in one shared process, what earlier catalogues left behind (the
 * JIT's type feedback, the heap's layout) moved a later catalogue's figures by
 * 10-15%, depending only on the order they ran in. Even alone, the small
 * catalogues' figures move by up to a third from one process to the next
 * (22-33 ns for the same 10-purpose case), so each is measured in three
 * processes and every figure is the median of the three.
 *
 * Options: `--rounds N` (default 7), `--forks N` (default 3), `--quick` (depths 1 and 8 only),
 * `--case DEPTH:PURPOSES` (measure that one catalogue here and print its row as JSON).
 */
import { spawnSync } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type Catalogue, createGuard, type Guard, parseCatalogue } from '../src/index.js';
import { compare, environment, formatRatio, measure, seededRandom, table } from './harness.js';
import { generateCatalogue } from './types/catalogue.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? '') : undefined;
};
const rounds = Number(arg('rounds') ?? 7) || 7;
const forks = Number(arg('forks') ?? 3) || 3;
const SIZES = [10, 100, 1_000, 10_000];
const DEPTHS = arg('quick') !== undefined ? [1, 8] : [1, 2, 4, 8];
const SUBJECTS = 10;
const QUERIES = 8192;
const NOW = new Date('2026-11-25T09:00:00Z');

function heapMb(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1_048_576;
}

interface Row {
  readonly purposes: number;
  readonly depth: number;
  readonly bare: number;
  readonly ctx: number;
  readonly lookup: number;
  readonly compileMs: number;
  readonly heapCompiled: number;
  readonly heapWarm: number;
  readonly distinctPairs: number;
}

/** Measures one catalogue in this process. */
async function measureCase(depth: number, size: number): Promise<Row> {
  const spec = generateCatalogue({ purposes: size, depth, subjects: SUBJECTS });
  const catalogue = parseCatalogue(spec) as Catalogue;
  const purposeIds = Object.keys(spec.purposes);
  const subjectIds = Object.keys(spec.subjects);

  // Half the queries are pairs the subject is granted (directly or through an ancestor), half are uniform over all pairs.
  const random = seededRandom(size * 31 + depth);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const queries = Array.from({ length: QUERIES }, () => {
    const s = pick(subjectIds);
    if (random() < 0.5) return [s, pick(purposeIds)] as const;
    const granted = Object.keys(spec.subjects[s]?.purposes ?? {});
    const g = granted.length > 0 ? pick(granted) : pick(purposeIds);
    const under = purposeIds.filter((p) => p === g || p.startsWith(`${g}.`));
    return [s, pick(under.length > 0 ? under : [g])] as const;
  });
  const contexts = queries.map(([, p], i) => ({
    consents: [{ purpose: p.split('.')[0] as string, grantedAt: new Date(NOW.getTime() - 86_400_000 * (1 + (i % 300))), id: `c-${i}` }],
    dataCategories: [spec.purposes[(p.split('.')[0] as string)]?.dataCategories?.[0] ?? 'identity'],
  }));
  // Heap held by the guard: after compiling, and once the queried pairs' outcomes (built on first use) exist.
  const before = heapMb();
  let guard: Guard | undefined = createGuard(catalogue, { clock: () => NOW });
  const heapCompiled = heapMb() - before;
  const g = guard;
  for (const [s, p] of queries) g.checkUse(s, p);
  const heapWarm = heapMb() - before;
  const expected = queries.map(([s, p]) => g.checkUse(s, p).allowed);
  const plain = new Map<string, Set<string>>();
  queries.forEach(([s, p], i) => {
    if (expected[i]) plain.set(s, (plain.get(s) ?? new Set()).add(p));
  });
  const distinctPairs = new Set(queries.map(([s, p]) => `${s}\u0000${p}`)).size;

  const [lookup, bare, ctx] = await compare(
    [
      {
        name: 'lookup',
        ops: QUERIES,
        fn: () => {
          let n = 0;
          for (let i = 0; i < QUERIES; i++) {
            const [s, p] = queries[i] as (typeof queries)[number];
            if (plain.get(s)?.has(p) === true) n++;
          }
          return n;
        },
      },
      {
        name: 'bare',
        ops: QUERIES,
        fn: () => {
          let n = 0;
          for (let i = 0; i < QUERIES; i++) {
            const [s, p] = queries[i] as (typeof queries)[number];
            if (g.checkUse(s, p).allowed) n++;
          }
          return n;
        },
      },
      {
        name: 'ctx',
        ops: QUERIES,
        fn: () => {
          let n = 0;
          for (let i = 0; i < QUERIES; i++) {
            const [s, p] = queries[i] as (typeof queries)[number];
            if (g.checkUse(s, p, contexts[i]).allowed) n++;
          }
          return n;
        },
      },
    ],
    { rounds, roundMs: 40, warmupMs: 150 },
  );
  guard = undefined;
  const compile = await measure('createGuard', () => createGuard(catalogue), { ops: 1, rounds: 5, roundMs: 0, warmupMs: 0 });
  return {
    purposes: size,
    depth,
    bare: bare?.nsPerOp ?? Number.NaN,
    ctx: ctx?.nsPerOp ?? Number.NaN,
    lookup: lookup?.nsPerOp ?? Number.NaN,
    compileMs: compile.nsPerOp / 1e6,
    heapCompiled,
    heapWarm,
    distinctPairs,
  };
}

/** Measures one catalogue in `forks` fresh processes; each figure is the median of theirs. */
function measureApart(depth: number, size: number): Row {
  const runs = Array.from({ length: forks }, () => measureInChild(depth, size));
  const median = (key: keyof Row): number => {
    const xs = runs.map((r) => r[key]).sort((a, b) => a - b);
    return xs[Math.floor(xs.length / 2)] as number;
  };
  return Object.fromEntries(Object.keys(runs[0] as Row).map((k) => [k, median(k as keyof Row)])) as unknown as Row;
}

/** Measures one catalogue in a fresh process (this script with `--case`), so no case inherits another's JIT or heap state. */
function measureInChild(depth: number, size: number): Row {
  const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1] as string, '--case', `${depth}:${size}`, '--rounds', String(rounds)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const last = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !last.startsWith('{')) throw new Error(`bench:scale case ${depth}:${size} failed (exit ${child.status}):\n${child.stdout}`);
  return JSON.parse(last) as Row;
}

const only = arg('case');
if (only !== undefined) {
  const [depth, size] = only.split(':').map(Number) as [number, number];
  console.log(JSON.stringify(await measureCase(depth, size)));
  process.exit(0);
}

console.log(`checkUse scaling, ${environment()}; ${SUBJECTS} subjects, ${QUERIES} queries per catalogue, each catalogue in ${forks} processes of its own (medians)\n`);
const rows: Row[] = [];
for (const depth of DEPTHS) {
  for (const size of SIZES) {
    const r = measureApart(depth, size);
    rows.push(r);
    process.stdout.write(`  depth ${depth}, ${size} purposes: ${r.bare.toFixed(1)} ns/check\n`);
  }
}

const f1 = (n: number): string => n.toFixed(1);
console.log(
  `\n${table(
    ['purposes', 'depth', 'pairs hit', 'Map lookup', 'checkUse', 'ratio', '+ context', 'ratio', 'createGuard', 'heap (compiled)', 'heap (+ outcomes)'],
    rows.map((r) => [
      String(r.purposes),
      String(r.depth),
      String(r.distinctPairs),
      `${f1(r.lookup)} ns`,
      `${f1(r.bare)} ns`,
      formatRatio(r.bare / r.lookup),
      `${f1(r.ctx)} ns`,
      formatRatio(r.ctx / r.lookup),
      `${r.compileMs.toFixed(2)} ms`,
      `${r.heapCompiled.toFixed(2)} MB`,
      `${r.heapWarm.toFixed(2)} MB`,
    ]),
  )}`,
);

console.log('\ntargets (issue 6):');
for (const depth of DEPTHS) {
  const small = rows.find((r) => r.depth === depth && r.purposes === 10) as Row;
  const large = rows.find((r) => r.depth === depth && r.purposes === 10_000) as Row;
  const growth = large.bare / small.bare;
  const growthCtx = large.ctx / small.ctx;
  console.log(
    `  depth ${depth}: ns/check at 10,000 purposes = ${formatRatio(growth)} of 10 purposes (with context ${formatRatio(growthCtx)}) (target <= 1.5x: ${growth <= 1.5 ? 'met' : 'NOT met'}); createGuard(10,000) = ${large.compileMs.toFixed(1)} ms (target < 200 ms: ${large.compileMs < 200 ? 'met' : 'NOT met'})`,
  );
}
