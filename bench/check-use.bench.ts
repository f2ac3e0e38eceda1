/**
 * `npm run bench` (first section): checkUse on the default catalogue against a
 * plain `Map<string, Set<string>>` lookup of the same (subject, purpose) pairs,
 * measured in the same run, with the ratio of each to the lookup.
 *
 *   (a) allow/deny mix, no context             target: within 3x (issue 2), ideally 2x (issue 6)
 *   (b) context with consents and data categories   target: within 5x (issue 3)
 *   (c) assertUse on allowed pairs
 *
 * Uses the top-level `checkUse` / `assertUse` (default catalogue, real clock), as an application would.
 * Options: `--rounds N` (default 9).
 */
import { assertUse, checkUse, defaultCatalogue, prepareContext } from '../src/index.js';
import { blackhole, compare, environment, formatRatio, report, seededRandom, sunkValues } from './harness.js';

const rounds = (() => {
  const i = process.argv.indexOf('--rounds');
  const n = i >= 0 ? Number(process.argv[i + 1]) : 9;
  return Number.isFinite(n) && n > 0 ? n : 9;
})();
const random = seededRandom(2026_11_24);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
const N = 4096;

type Pair = readonly [subject: string, purpose: string];
// Widened once: the bench feeds run-time strings, as a service would.
const check = checkUse as (s: string, p: string, ctx?: unknown) => { readonly allowed: boolean };
const assert = assertUse as (s: string, p: string, ctx?: unknown) => { readonly allowed: boolean };

const subjects = Object.keys(defaultCatalogue.subjects);
const purposes = Object.keys(defaultCatalogue.purposes);
const all: Pair[] = subjects.flatMap((s) => purposes.map((p) => [s, p] as const));
const allowedBare = all.filter(([s, p]) => check(s, p).allowed);
const deniedBare = all.filter(([s, p]) => !check(s, p).allowed);

/** The baseline: the pairs checkUse allows without context, as a Map of Sets. */
const plain = new Map<string, Set<string>>();
for (const [s, p] of allowedBare) plain.set(s, (plain.get(s) ?? new Set()).add(p));

// (a) half allowed, half denied; declared ids only (unknown ids are the peer benchmark's business).
const mix: Pair[] = Array.from({ length: N }, () => (random() < 0.5 ? pick(allowedBare) : pick(deniedBare)));

// (b) what a repository passes: the person's consents (one for the purpose when it needs one) and
// the data categories the query touches (drawn from the purpose's own list, so the use is lawful).
const DAY = 86_400_000;
const now = Date.now();
const consentPurposes = purposes.filter((p) => (defaultCatalogue.purposes[p as keyof typeof defaultCatalogue.purposes] as { requiresConsent?: boolean }).requiresConsent === true);
const granted: Pair[] = subjects.flatMap((s) => Object.keys(defaultCatalogue.subjects[s as keyof typeof defaultCatalogue.subjects].purposes).map((p) => [s, p] as const));
const categoriesOf = (p: string): readonly string[] => {
  for (let q = p; ; q = q.slice(0, q.lastIndexOf('.'))) {
    const list = (defaultCatalogue.purposes[q as keyof typeof defaultCatalogue.purposes] as { dataCategories?: readonly string[] }).dataCategories;
    if (list !== undefined || !q.includes('.')) return list ?? [];
  }
};
const withContext = Array.from({ length: N }, (_, i) => {
  const [s, p] = pick(granted);
  const cats = categoriesOf(p).filter((c) => c !== 'health' || p === 'employment.health-management');
  const consents = [
    { purpose: consentPurposes.includes(p) ? p : pick(consentPurposes), grantedAt: new Date(now - (1 + Math.floor(random() * 900)) * DAY), id: `c-${i}` },
    ...(random() < 0.5 ? [{ purpose: pick(consentPurposes), grantedAt: new Date(now - 400 * DAY), withdrawnAt: new Date(now - 30 * DAY), id: `c-${i}-w` }] : []),
    ...(p === 'employment.health-management' ? [{ purpose: p, grantedAt: new Date(now - 100 * DAY), id: `c-${i}-h` }] : []),
  ];
  return { pair: [s, p] as Pair, context: { consents, dataCategories: [pick(cats), pick(cats)] } };
});

// (c) allowed pairs only, no context.
const allows: Pair[] = Array.from({ length: N }, () => pick(allowedBare));

// Same answers first: a benchmark of different questions would be meaningless.
for (const [s, p] of mix) if (check(s, p).allowed !== (plain.get(s)?.has(p) === true)) throw new Error(`checkUse and the Map disagree on ${s}/${p}`);
const contextAllowed = withContext.filter(({ pair: [s, p], context }) => check(s, p, context).allowed).length;
if (contextAllowed !== N) throw new Error(`(b) should be all lawful uses, but checkUse denied ${N - contextAllowed} of ${N}`);

function lookup(pairs: readonly Pair[]): number {
  let n = 0;
  for (let i = 0; i < pairs.length; i++) {
    const [s, p] = pairs[i] as Pair;
    if (plain.get(s)?.has(p) === true) n++;
  }
  return n;
}
function checkAll(pairs: readonly Pair[]): number {
  let n = 0;
  for (let i = 0; i < pairs.length; i++) {
    const [s, p] = pairs[i] as Pair;
    if (check(s, p).allowed) n++;
  }
  return n;
}
const contextPairs = withContext.map((q) => q.pair);
function checkWithContext(): number {
  let n = 0;
  for (let i = 0; i < withContext.length; i++) {
    const q = withContext[i] as (typeof withContext)[number];
    if (check(q.pair[0], q.pair[1], q.context).allowed) n++;
  }
  return n;
}
// (b2) the same contexts, each prepared once (outside the timing), as a request's scope is for every
// repository call under it: the reading and validation are paid once per request, not per check.
const prepared = withContext.map((q) => ({ pair: q.pair, context: prepareContext(q.context) }));
for (let i = 0; i < N; i++) {
  const q = withContext[i] as (typeof withContext)[number];
  const r = prepared[i] as (typeof prepared)[number];
  if (JSON.stringify(check(q.pair[0], q.pair[1], q.context)) !== JSON.stringify(check(r.pair[0], r.pair[1], r.context))) throw new Error('prepared and raw contexts disagree');
}
function checkPrepared(): number {
  let n = 0;
  for (let i = 0; i < prepared.length; i++) {
    const q = prepared[i] as (typeof prepared)[number];
    if (check(q.pair[0], q.pair[1], q.context).allowed) n++;
  }
  return n;
}
function assertAll(pairs: readonly Pair[]): number {
  let n = 0;
  for (let i = 0; i < pairs.length; i++) {
    const [s, p] = pairs[i] as Pair;
    if (assert(s, p).allowed) n++;
  }
  return n;
}

console.log(`checkUse vs a plain Map<string, Set<string>> lookup of the same pairs (default catalogue), ${environment()}\n`);
const sections: { title: string; target: number | undefined; name: string; run: () => number; base: () => number }[] = [
  { title: '(a) allow/deny mix, no context (50% allowed)', target: 3, name: 'checkUse', run: () => checkAll(mix), base: () => lookup(mix) },
  { title: '(b) context with consents and data categories (all allowed)', target: 5, name: 'checkUse + context', run: checkWithContext, base: () => lookup(contextPairs) },
  { title: '(b2) the same contexts prepared once per request (guard.prepareContext), as a scope does', target: 5, name: 'checkUse + prepared context', run: checkPrepared, base: () => lookup(contextPairs) },
  { title: '(c) assertUse on allowed pairs, no context', target: undefined, name: 'assertUse', run: () => assertAll(allows), base: () => lookup(allows) },
];
const summary: string[] = [];
for (const s of sections) {
  const results = await compare(
    [
      { name: 'Map/Set lookup', ops: N, fn: s.base },
      { name: s.name, ops: N, fn: s.run },
    ],
    { rounds },
  );
  console.log(`${s.title}\n${report(results, 'Map/Set lookup')}\n`);
  const ratio = (results[1]?.nsPerOp ?? Number.NaN) / (results[0]?.nsPerOp ?? Number.NaN);
  summary.push(`${s.name}: ${(results[1]?.nsPerOp ?? Number.NaN).toFixed(1)} ns/check, ${formatRatio(ratio)} the lookup${s.target === undefined ? '' : ` (target <= ${s.target}x: ${ratio <= s.target ? 'met' : 'NOT met'})`}`);
}
blackhole(summary);
console.log(summary.join('\n'));
console.log(`(${sunkValues()} batches sunk)`);
