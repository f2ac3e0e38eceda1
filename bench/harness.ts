/**
 * A small, dependency-free timing harness for the benchmarks.
 *
 * Each case is a *batch*: a function that performs `ops` operations (usually a
 * loop over a pre-generated workload) and returns something derived from every
 * result (a count of allows, say). The harness sinks that value into
 * `blackhole`, so V8 cannot prove the work unused and delete it.
 *
 * Cases compared with each other are measured in the same run, with their
 * rounds interleaved (round 1 of every case, then round 2...), so a slow phase
 * of a noisy machine hits all of them alike. Figures are medians over rounds.
 */

/** One thing to time. */
export interface BenchCase {
  /** Shown in the report and used to name the baseline. */
  readonly name: string;
  /** Performs `ops` operations and returns a value that depends on all of them. May be async. */
  readonly fn: () => unknown;
  /** How many operations one call of `fn` performs. */
  readonly ops: number;
}

/** Timing options; every field has a default suited to micro-benchmarks of ~10 ns to ~100 µs per op. */
export interface MeasureOptions {
  /** Timed rounds per case (median taken). Default 9. */
  readonly rounds?: number | undefined;
  /** Minimum wall time of one round, in ms; `fn` is repeated until it is reached. Default 60. */
  readonly roundMs?: number | undefined;
  /** Warm-up wall time per case before any timing, in ms (lets the JIT settle). Default 250. */
  readonly warmupMs?: number | undefined;
}

/** The timing of one case. */
export interface BenchResult {
  readonly name: string;
  /** Median over rounds of nanoseconds per operation. */
  readonly nsPerOp: number;
  /** Fastest round, ns/op. */
  readonly minNsPerOp: number;
  /** Each round's ns/op, in the order measured. */
  readonly rounds: readonly number[];
  /** Operations performed per round. */
  readonly opsPerRound: number;
}

// A module-level slot written through an exported function: V8 cannot prove the stores dead.
let sink: unknown;
let sinkCount = 0;

/**
 * The last value given to `blackhole` (exported so the sink is observable).
 *
 * @example
 * lastSunk();
 */
export function lastSunk(): unknown {
  return sink;
}

/**
 * Keeps a value alive so the optimiser cannot drop the computation that made
 * it. Cheap enough to call once per batch; do not call it per operation in a
 * tight loop if you can fold the results into one value instead.
 *
 * @example
 * let allowed = 0;
 * for (const q of queries) if (guard.checkUse(q.subject, q.purpose).allowed) allowed++;
 * blackhole(allowed);
 */
export function blackhole(value: unknown): void {
  sink = value;
  sinkCount++;
}

/**
 * How many values `blackhole` has received; printing it at the end of a run
 * makes the sink observable, which is what keeps the stores from being elided.
 *
 * @example
 * console.log(`(sunk ${sunkValues()} batches)`);
 */
export function sunkValues(): number {
  return sinkCount;
}

const now = (): number => performance.now();

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

async function call(fn: () => unknown): Promise<void> {
  const out = fn();
  blackhole(isThenable(out) ? await out : out);
}

async function warmUp(c: BenchCase, warmupMs: number): Promise<number> {
  const start = now();
  let calls = 0;
  do {
    await call(c.fn);
    calls++;
  } while (now() - start < warmupMs || calls < 3);
  return (now() - start) / calls;
}

async function round(c: BenchCase, repeats: number): Promise<number> {
  const start = now();
  for (let i = 0; i < repeats; i++) await call(c.fn);
  const elapsedMs = now() - start;
  return (elapsedMs * 1e6) / (repeats * c.ops);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Times several cases in the same run with interleaved rounds and returns one
 * result per case, in the order given.
 *
 * @example
 * const results = await compare([
 *   { name: 'Map/Set lookup', ops: queries.length, fn: () => runPlain(queries) },
 *   { name: 'checkUse', ops: queries.length, fn: () => runCheckUse(queries) },
 * ]);
 * console.log(report(results, 'Map/Set lookup'));
 */
export async function compare(cases: readonly BenchCase[], options: MeasureOptions = {}): Promise<BenchResult[]> {
  const roundsWanted = options.rounds ?? 9;
  const roundMs = options.roundMs ?? 60;
  const warmupMs = options.warmupMs ?? 250;
  const repeats: number[] = [];
  for (const c of cases) {
    const msPerCall = await warmUp(c, warmupMs);
    repeats.push(Math.max(1, Math.ceil(roundMs / Math.max(msPerCall, 1e-3))));
  }
  const perCase: number[][] = cases.map(() => []);
  for (let r = 0; r < roundsWanted; r++) {
    for (let i = 0; i < cases.length; i++) {
      (perCase[i] as number[]).push(await round(cases[i] as BenchCase, repeats[i] as number));
    }
  }
  return cases.map((c, i) => {
    const rounds = perCase[i] as number[];
    return { name: c.name, nsPerOp: median(rounds), minNsPerOp: Math.min(...rounds), rounds, opsPerRound: c.ops * (repeats[i] as number) };
  });
}

/**
 * Times one case. Prefer `compare` when the figure is to be read as a ratio.
 *
 * @example
 * const r = await measure('createGuard', () => createGuard(catalogue), { ops: 1 });
 * console.log(r.nsPerOp / 1e6, 'ms');
 */
export async function measure(name: string, fn: () => unknown, options: MeasureOptions & { readonly ops: number }): Promise<BenchResult> {
  const [result] = await compare([{ name, fn, ops: options.ops }], options);
  return result as BenchResult;
}

/**
 * Formats nanoseconds for a table: `12.3 ns`, `4.56 µs`, `7.89 ms`.
 *
 * @example
 * formatNs(1234); // '1.23 µs'
 */
export function formatNs(ns: number): string {
  if (ns < 1_000) return `${ns.toFixed(1)} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(2)} µs`;
  return `${(ns / 1_000_000).toFixed(2)} ms`;
}

/**
 * An aligned text table of results: median ns/op, fastest round, spread
 * (interquartile range / median) and the ratio of each median to the baseline's
 * median measured in the same run.
 *
 * @example
 * console.log(report(results, 'Map/Set lookup'));
 * // case             median/op   fastest   spread   vs Map/Set lookup
 * // Map/Set lookup     10.1 ns    9.8 ns     2.0%   1.00x (baseline)
 * // checkUse           15.2 ns   14.9 ns     1.5%   1.50x
 */
export function report(results: readonly BenchResult[], baselineName: string): string {
  const base = results.find((r) => r.name === baselineName);
  if (base === undefined) throw new Error(`report: no result named ${JSON.stringify(baselineName)} to use as the baseline`);
  const rows = results.map((r) => {
    const sorted = [...r.rounds].sort((a, b) => a - b);
    const q = (f: number): number => sorted[Math.min(sorted.length - 1, Math.floor(f * (sorted.length - 1)))] as number;
    const spread = sorted.length > 1 ? ((q(0.75) - q(0.25)) / r.nsPerOp) * 100 : 0;
    const ratio = r.nsPerOp / base.nsPerOp;
    return [r.name, formatNs(r.nsPerOp), formatNs(r.minNsPerOp), `${spread.toFixed(1)}%`, r === base ? '1.00x (baseline)' : `${formatRatio(ratio)}`];
  });
  return table(['case', 'median/op', 'fastest', 'spread', `vs ${baselineName}`], rows);
}

/**
 * A ratio for humans: `1.42x`, `310x`.
 *
 * @example
 * formatRatio(1.416); // '1.42x'
 */
export function formatRatio(ratio: number): string {
  return ratio >= 100 ? `${ratio.toFixed(0)}x` : ratio >= 10 ? `${ratio.toFixed(1)}x` : `${ratio.toFixed(2)}x`;
}

/**
 * Aligns rows under a header: first column left-aligned, the others right-aligned.
 *
 * @example
 * console.log(table(['purposes', 'ns/check'], [['10', '12.0'], ['10000', '13.1']]));
 */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((row) => (row[c] ?? '').length)));
  const line = (row: readonly string[]): string =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] as number) : cell.padStart(widths[c] as number))).join('   ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('   '), ...rows.map(line)].join('\n');
}

/**
 * A small, fast, seeded PRNG (mulberry32) so every run generates the same workload.
 *
 * @example
 * const random = seededRandom(42);
 * random(); // a number in [0, 1), the same on every run
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A one-line description of the machine, to print above the figures.
 *
 * @example
 * console.log(environment()); // 'node v20.20.2, linux x64, 2 CPUs'
 */
export function environment(): string {
  const cpus = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return `node ${process.version}, ${process.platform} ${process.arch}${cpus === undefined ? '' : `, ${cpus} CPUs`}`;
}
