import type { DecisionEvent } from '../event.js';

/**
 * Where an audit trail writes its events. `write` acknowledges an event by
 * returning normally (written synchronously) or through a promise that
 * resolves once written; it reports failure by throwing or rejecting (a
 * returned thenable whose `then` throws counts as throwing).
 * Never acknowledge what is not written: the strict policy relies on it.
 *
 * @example
 * const sink: AuditSink = { name: 'stdout', write: (e) => void process.stdout.write(`${JSON.stringify(e)}\n`) };
 */
export interface AuditSink {
  /** Shown in errors and stats. */
  readonly name: string;
  write(event: DecisionEvent): void | PromiseLike<void>;
  /** Makes everything acknowledged so far durable (for batching sinks). */
  flush?(): void | PromiseLike<void>;
  /** Flushes and releases the sink; later writes fail. */
  close?(): void | PromiseLike<void>;
}
