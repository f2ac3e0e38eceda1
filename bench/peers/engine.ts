import type { PolicyFacts, Query } from './workload.js';

/** How faithfully an engine's mapping expresses the catalogue. */
export type Fidelity = 'idiomatic' | 'stretched' | 'reference';

/**
 * One way of answering the workload's questions, built from the catalogue's
 * facts before any timing (policies loaded, per-query inputs in the engine's
 * own form), so only the checks themselves are timed.
 */
export interface PeerEngine {
  readonly name: string;
  readonly fidelity: Fidelity;
  /** What the mapping does, and where it stretches the engine. */
  readonly mapping: string;
  /** Whether its answers must equal checkUse's (false only for a deliberately incomplete reference). */
  readonly verified: boolean;
  /** The allow/deny answer to every query, in order. */
  answers(): Promise<boolean[]>;
  /** One timed batch: checks every query and returns how many were allowed. */
  count(): number | Promise<number>;
}

/** Builds an engine over the workload. */
export type EngineFactory = (queries: readonly Query[], facts: PolicyFacts) => PeerEngine | Promise<PeerEngine>;
