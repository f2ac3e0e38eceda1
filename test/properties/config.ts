/**
 * Shared fast-check settings. Every property has a fixed seed so a failure
 * reproduces; set `PG_FC_SEED` to explore other seeds and `PG_FC_RUNS` to run
 * more (or fewer) cases. A seed that once failed is kept as a regression case
 * in `regressions.test.ts`.
 */
import type fc from 'fast-check';

/** Generated cases per property (the README states this number). */
export const RUNS = Number(process.env['PG_FC_RUNS'] ?? 10_000);

/** A generous per-test timeout: 10,000 cases on a busy 2-core machine. */
export const TIMEOUT = 120_000;

/**
 * Parameters for `fc.assert`: the property's own seed unless `PG_FC_SEED` overrides it.
 *
 * @example
 * fc.assert(prop, params(101));
 */
export function params<T>(seed: number, extra: fc.Parameters<T> = {}): fc.Parameters<T> {
  const override = process.env['PG_FC_SEED'];
  return { numRuns: RUNS, seed: override === undefined ? seed : Number(override), endOnFailure: false, ...extra };
}
