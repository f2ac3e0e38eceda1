import type { PeerEngine } from './engine.js';
import type { Query } from './workload.js';

/** A query on which an engine and checkUse disagree. */
export interface Disagreement {
  readonly engine: string;
  readonly index: number;
  readonly query: Query;
  readonly expected: boolean;
  readonly got: boolean;
}

/**
 * Compares every verified engine's answers with the reference's (checkUse), query by query.
 *
 * @example
 * const bad = await disagreements(engines, checkUseEngine, queries);
 * if (bad.length > 0) process.exit(1);
 */
export async function disagreements(engines: readonly PeerEngine[], reference: PeerEngine, queries: readonly Query[]): Promise<Disagreement[]> {
  const expected = await reference.answers();
  const out: Disagreement[] = [];
  for (const engine of engines) {
    if (!engine.verified || engine === reference) continue;
    const got = await engine.answers();
    if (got.length !== queries.length) throw new Error(`${engine.name} answered ${got.length} of ${queries.length} queries`);
    got.forEach((answer, index) => {
      if (answer !== expected[index]) out.push({ engine: engine.name, index, query: queries[index] as Query, expected: expected[index] as boolean, got: answer });
    });
  }
  return out;
}

/**
 * A readable account of disagreements, a few per engine.
 *
 * @example
 * console.error(describeDisagreements(bad));
 */
export function describeDisagreements(bad: readonly Disagreement[], perEngine = 3): string {
  const byEngine = new Map<string, Disagreement[]>();
  for (const d of bad) byEngine.set(d.engine, [...(byEngine.get(d.engine) ?? []), d]);
  const lines: string[] = [];
  for (const [engine, list] of byEngine) {
    lines.push(`${engine}: ${list.length} answer(s) differ from checkUse`);
    for (const d of list.slice(0, perEngine)) {
      lines.push(`  #${d.index} (${d.query.kind}) ${d.query.subject} / ${d.query.purpose}: checkUse ${d.expected ? 'allows' : 'denies'}, ${engine} ${d.got ? 'allows' : 'denies'}; context ${JSON.stringify(d.query.context)}`);
    }
  }
  return lines.join('\n');
}
