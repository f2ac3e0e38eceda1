import { channel } from 'node:diagnostics_channel';
import type { DecisionEvent } from '../event.js';
import type { AuditSink } from './sink.js';

/**
 * The default `node:diagnostics_channel` name decisions are published on.
 *
 * @example
 * subscribe(DECISION_CHANNEL, (event) => console.log(event));
 */
export const DECISION_CHANNEL = 'purpose-guard:decision';

/**
 * Publishes each event on a `node:diagnostics_channel` channel, only when
 * someone subscribes (`hasSubscribers`), so it costs nothing otherwise. A
 * subscriber that throws does not fail the sink: Node reports that error as an
 * uncaught exception on the next tick, so the event counts as acknowledged.
 *
 * @example
 * import { subscribe } from 'node:diagnostics_channel';
 * subscribe(DECISION_CHANNEL, (event) => metrics.count((event as DecisionEvent).reason));
 */
export function diagnosticsChannelSink(options: { readonly channel?: string | undefined } = {}): AuditSink {
  const name = options.channel ?? DECISION_CHANNEL;
  const ch = channel(name);
  return {
    name: `diagnostics_channel:${name}`,
    write(event: DecisionEvent) {
      if (ch.hasSubscribers) ch.publish(event);
    },
  };
}
