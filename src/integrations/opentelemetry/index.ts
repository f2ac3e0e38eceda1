/**
 * `purpose-guard/opentelemetry`: decisions as OpenTelemetry telemetry.
 * Depends on `@opentelemetry/api` only (an optional peer; a no-op without an SDK).
 *
 * @packageDocumentation
 */
import { context, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import type { DecisionEvent } from '../../audit/event.js';
import type { AuditSink } from '../../audit/sinks/sink.js';
import { decisionAttributes, type DecisionAttributeOptions } from './attributes.js';

export { decisionAttributes, type DecisionAttributeOptions } from './attributes.js';

/**
 * The log-record and span-event name of a decision.
 *
 * @example
 * span.events.filter((e) => e.name === DECISION_EVENT_NAME);
 */
export const DECISION_EVENT_NAME = 'purpose_guard.decision';

/**
 * The part of an OpenTelemetry Logs API `Logger` (`@opentelemetry/api-logs`)
 * the sink calls; typed structurally so this package does not depend on it.
 */
export interface LogRecordEmitter {
  emit(record: {
    readonly eventName?: string;
    readonly severityNumber?: number;
    readonly severityText?: string;
    readonly body?: string;
    readonly attributes?: Attributes;
    readonly context?: Context;
  }): void;
}

/** Options of `openTelemetrySink`. */
export interface OpenTelemetrySinkOptions extends DecisionAttributeOptions {
  /**
   * What to do with the active span: `attributes` (default) sets the
   * decision's attributes on it (the last decision in a span wins); `event`
   * adds a `purpose_guard.decision` span event per decision; `none` leaves it alone.
   */
  readonly span?: 'attributes' | 'event' | 'none' | undefined;
  /** Emits each decision as a log record (`eventName: purpose_guard.decision`), correlated with the active span. */
  readonly logger?: LogRecordEmitter | undefined;
}

// Logs API SeverityNumber values (INFO, WARN): copied, as the api-logs package is not a dependency.
const SEVERITY_INFO = 9;
const SEVERITY_WARN = 13;

/**
 * An audit sink that reports each decision to OpenTelemetry: attributes on
 * the active span (or a span event), and a log record through the logger you
 * pass, following the feature-flag evaluation conventions under `purpose_guard.*`.
 * Never a raw user id. Telemetry is sampled and lossy: use it next to a
 * durable sink (JSON Lines, SQLite), not instead of one.
 *
 * @example
 * import { logs } from '@opentelemetry/api-logs';
 * const trail = createAuditTrail({
 *   catalogue,
 *   sinks: [jsonlSink({ path: 'audit.jsonl' }), openTelemetrySink({ logger: logs.getLogger('purpose-guard') })],
 * });
 */
export function openTelemetrySink(options: OpenTelemetrySinkOptions = {}): AuditSink {
  const mode = options.span ?? 'attributes';
  return {
    name: 'opentelemetry',
    write(event: DecisionEvent) {
      const attributes = decisionAttributes(event, options);
      if (mode !== 'none') {
        const span = trace.getActiveSpan();
        if (span?.isRecording()) {
          if (mode === 'attributes') setDecisionAttributes(span, attributes);
          else span.addEvent(DECISION_EVENT_NAME, attributes);
        }
      }
      options.logger?.emit({
        eventName: DECISION_EVENT_NAME,
        severityNumber: event.allowed ? SEVERITY_INFO : SEVERITY_WARN,
        severityText: event.allowed ? 'INFO' : 'WARN',
        body: event.message,
        attributes,
        context: context.active(),
      });
    },
  };
}

/** The decision attributes each span was given last, so the next decision on it can clear the ones it does not have. */
const lastWritten = new WeakMap<Span, readonly string[]>();

/**
 * Sets a decision's attributes on a span, replacing the last decision's whole:
 * an optional attribute the earlier decision had and this one lacks (its
 * consent id, basis, method) is set to '' (the API cannot remove one), so a
 * deny never shows the allow's consent id.
 */
function setDecisionAttributes(span: Span, attributes: Attributes): void {
  const before = lastWritten.get(span);
  let written = attributes;
  if (before !== undefined) {
    const cleared: Attributes = {};
    for (const key of before) if (!Object.hasOwn(attributes, key)) cleared[key] = '';
    written = { ...cleared, ...attributes };
  }
  span.setAttributes(written);
  // A key cleared here is '' already: the next decision need not clear it again.
  lastWritten.set(span, Object.keys(attributes));
}
