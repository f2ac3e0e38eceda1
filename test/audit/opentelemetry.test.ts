import { context, ROOT_CONTEXT, trace, type Context, type ContextManager } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuditTrail } from '../../src/audit.js';
import { createGuard, defaultCatalogue } from '../../src/index.js';
import { DECISION_EVENT_NAME, openTelemetrySink, type LogRecordEmitter } from '../../src/integrations/opentelemetry/index.js';

/** A synchronous context manager, enough for spans made active around synchronous code. */
class StackContextManager implements ContextManager {
  private stack: Context[] = [];
  active(): Context {
    return this.stack[this.stack.length - 1] ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    this.stack.push(ctx);
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.stack.pop();
    }
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.stack = [];
    return this;
  }
}

const catalogue = defaultCatalogue;
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = provider.getTracer('test');

beforeAll(() => {
  context.setGlobalContextManager(new StackContextManager());
});
afterAll(() => {
  context.disable();
});
beforeEach(() => exporter.reset());

function inSpan(fn: () => void): void {
  const span = tracer.startSpan('GET /customers/:id');
  context.with(trace.setSpan(context.active(), span), fn);
  span.end();
}

describe('openTelemetrySink', () => {
  it('in attributes mode, a later decision in the span replaces the earlier one whole: no consent id or method of an allow on a deny', () => {
    const trail = createAuditTrail({ catalogue, sinks: [openTelemetrySink()] });
    const guard = createGuard(catalogue, { recorder: trail });
    const consents = [{ purpose: 'marketing', grantedAt: new Date('2026-01-01T00:00:00Z'), id: 'cns-77' }];
    inSpan(() => {
      guard.checkUse('customer', 'marketing.notifications', { consents, now: new Date('2026-06-01T00:00:00Z') }, { method: 'Mailer.send', operation: 'read' });
      guard.checkUse('customer', 'fraud-prevention', { bogus: 1 } as never);
    });
    const [span] = exporter.getFinishedSpans();
    expect(span?.attributes).toMatchObject({ 'purpose_guard.decision': 'deny', 'purpose_guard.decision.reason': 'invalid_context', 'purpose_guard.purpose': 'fraud-prevention' });
    for (const key of ['purpose_guard.consent.id', 'purpose_guard.basis', 'code.function.name', 'purpose_guard.operation']) expect(span?.attributes[key], key).toBe('');
  });

  it('puts the decision on the active span under purpose_guard.*, never a raw user id', () => {
    const trail = createAuditTrail({ catalogue, sinks: [openTelemetrySink()], hmacKey: 'k' });
    const guard = createGuard(catalogue, { recorder: trail });
    inSpan(() => guard.checkUse('employee', 'marketing.analytics' as string, { actor: 'alice', subjectId: 'emp-1' }));
    const [span] = exporter.getFinishedSpans();
    expect(span?.attributes).toMatchObject({
      'purpose_guard.subject.category': 'employee',
      'purpose_guard.purpose': 'marketing.analytics',
      'purpose_guard.decision': 'deny',
      'purpose_guard.decision.reason': 'purpose_not_permitted',
      'purpose_guard.catalogue.version': '2026-11-24',
      'purpose_guard.rule.id': 'subjects.employee.purposes',
      'purpose_guard.mode': 'enforce',
    });
    const text = JSON.stringify(span?.attributes);
    expect(text).not.toContain('alice');
    expect(text).not.toContain('emp-1');
    expect(span?.attributes).not.toHaveProperty('purpose_guard.subject.ref');
  });

  it('adds a span event per decision in event mode, with the repository method and operation', async () => {
    const trail = createAuditTrail({ catalogue, sinks: [openTelemetrySink({ span: 'event', includeSubjectRef: true })], hmacKey: 'k' });
    const guard = createGuard(catalogue, { recorder: trail });
    const span = tracer.startSpan('job');
    await context.with(trace.setSpan(context.active(), span), () =>
      Promise.all([
        guard.checkUseAsync('customer', 'billing', { subjectId: 'c-1' }, { operation: 'read', method: 'Invoices.list' }),
        guard.checkUseAsync('customer', 'service-provision'),
      ]),
    );
    span.end();
    const events = exporter.getFinishedSpans()[0]?.events ?? [];
    expect(events.map((e) => e.name)).toEqual([DECISION_EVENT_NAME, DECISION_EVENT_NAME]);
    expect(events[0]?.attributes).toMatchObject({
      'purpose_guard.decision': 'allow',
      'purpose_guard.basis': 'contract',
      'purpose_guard.operation': 'read',
      'code.function.name': 'Invoices.list',
    });
    expect(events[0]?.attributes?.['purpose_guard.subject.ref']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('emits a log record correlated with the active span, and works with no span at all', () => {
    const records: Parameters<LogRecordEmitter['emit']>[0][] = [];
    const trail = createAuditTrail({ catalogue, sinks: [openTelemetrySink({ logger: { emit: (r) => void records.push(r) } })] });
    const guard = createGuard(catalogue, { recorder: trail, mode: 'monitor' });
    inSpan(() => guard.checkUse('customer', 'marketing.notifications'));
    guard.checkUse('customer', 'billing');
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ eventName: DECISION_EVENT_NAME, severityText: 'WARN', attributes: { 'purpose_guard.decision.reason': 'consent_required', 'purpose_guard.mode': 'monitor', 'purpose_guard.decision.proceeded': true } });
    const spanId = exporter.getFinishedSpans()[0]?.spanContext().spanId;
    expect(trace.getSpan(records[0]?.context as Context)?.spanContext().spanId).toBe(spanId);
    expect(records[1]?.severityText).toBe('INFO');
    expect(trail.stats()).toMatchObject({ recorded: 2, acknowledged: 2 });
  });
});
