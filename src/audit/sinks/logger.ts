import type { DecisionEvent } from '../event.js';
import type { AuditSink } from './sink.js';

/** The part of a pino (or pino-compatible: bunyan-style) logger the sink uses. */
export interface StructuredLogger {
  info(fields: Record<string, unknown>, message: string): unknown;
  warn(fields: Record<string, unknown>, message: string): unknown;
}

/**
 * Writes each event through a structured logger as
 * `logger.info({ event: 'purpose.decision', ...event }, message)`; denials
 * (also those a monitor-mode guard let through) at `warn`. No dependency on
 * pino: any logger with that call shape works. The fields hold no raw
 * personal data; add `redact` paths for your own additions.
 * Acknowledged when the logger call returns (pino writes asynchronously to its
 * destination: use it as a second sink, not as the record of proof).
 *
 * @example
 * import pino from 'pino';
 * createAuditTrail({ catalogue, sinks: [jsonlSink({ path }), loggerSink(pino())] });
 */
export function loggerSink(logger: StructuredLogger, options: { readonly name?: string | undefined } = {}): AuditSink {
  return {
    name: options.name ?? 'logger',
    write(event: DecisionEvent) {
      const verdict = event.allowed ? 'allowed' : event.proceeded ? 'would be denied (monitor mode)' : 'denied';
      const message = `purpose-guard: ${event.subject} data for ${event.purpose} ${verdict} [${event.reason}]`;
      const fields = { event: 'purpose.decision', ...event };
      if (event.allowed) logger.info(fields, message);
      else logger.warn(fields, message);
    },
  };
}
