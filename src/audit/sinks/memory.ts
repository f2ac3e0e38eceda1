import type { DecisionEvent } from '../event.js';
import type { AuditSink } from './sink.js';

/** An in-memory sink: for tests, demos, and short-lived processes that ship events elsewhere. */
export interface MemorySink extends AuditSink {
  /** The events written so far, oldest first. */
  events(): readonly DecisionEvent[];
  /** Forgets the events (they were shipped elsewhere). */
  clear(): void;
}

/**
 * Keeps events in an array. With `limit`, refuses (throws) once full rather
 * than forgetting old events: the trail counts the failure.
 *
 * @example
 * const memory = memorySink();
 * const guard = createGuard(catalogue, { recorder: createAuditTrail({ catalogue, sinks: [memory] }) });
 * guard.checkUse('customer', 'billing');
 * memory.events()[0]?.reason; // 'permitted'
 */
export function memorySink(options: { readonly name?: string | undefined; readonly limit?: number | undefined } = {}): MemorySink {
  let events: DecisionEvent[] = [];
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  return {
    name: options.name ?? 'memory',
    write(event) {
      if (events.length >= limit) throw new RangeError(`memory sink is full (${limit} events)`);
      events.push(event);
    },
    events: () => events,
    clear() {
      events = [];
    },
  };
}
