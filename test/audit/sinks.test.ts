import { subscribe, unsubscribe, channel } from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import { createAuditTrail, DECISION_CHANNEL, diagnosticsChannelSink, loggerSink, memorySink, type DecisionEvent } from '../../src/audit.js';
import { createGuard, defaultCatalogue } from '../../src/index.js';

const catalogue = defaultCatalogue;

describe('loggerSink', () => {
  it('logs allows at info and denials at warn, pino style, without personal data', () => {
    const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
    const logger = {
      info: (fields: Record<string, unknown>, message: string) => void lines.push({ level: 'info', fields, message }),
      warn: (fields: Record<string, unknown>, message: string) => void lines.push({ level: 'warn', fields, message }),
    };
    const guard = createGuard(catalogue, { recorder: createAuditTrail({ catalogue, sinks: [loggerSink(logger)] }) });
    guard.checkUse('customer', 'billing', { subjectId: 'jane@example.com' });
    guard.checkUse('employee', 'marketing.analytics' as string);
    expect(lines.map((l) => [l.level, l.fields['event'], l.fields['reason']])).toEqual([
      ['info', 'purpose.decision', 'permitted'],
      ['warn', 'purpose.decision', 'purpose_not_permitted'],
    ]);
    expect(lines[1]?.message).toBe('purpose-guard: employee data for marketing.analytics denied [purpose_not_permitted]');
    expect(JSON.stringify(lines)).not.toContain('jane');
  });

  it('a throwing logger is a failed sink under the strict policy', () => {
    const boom = () => {
      throw new Error('stream closed');
    };
    const trail = createAuditTrail({ catalogue, sinks: [loggerSink({ info: boom, warn: boom })], onAuditError: () => {} });
    expect(createGuard(catalogue, { recorder: trail }).checkUse('customer', 'billing').reason).toBe('audit_unavailable');
    expect(trail.stats().failed).toBe(1);
  });
});

describe('diagnosticsChannelSink', () => {
  it('publishes each event to subscribers, and nothing when nobody listens', () => {
    const received: DecisionEvent[] = [];
    const listener = (message: unknown) => void received.push(message as DecisionEvent);
    const memory = memorySink();
    const guard = createGuard(catalogue, { recorder: createAuditTrail({ catalogue, sinks: [diagnosticsChannelSink(), memory] }) });
    guard.checkUse('customer', 'billing');
    expect(channel(DECISION_CHANNEL).hasSubscribers).toBe(false);
    subscribe(DECISION_CHANNEL, listener);
    try {
      guard.checkUse('client', 'client-management');
    } finally {
      unsubscribe(DECISION_CHANNEL, listener);
    }
    guard.checkUse('customer', 'billing');
    expect(received.map((e) => e.seq)).toEqual([2]);
    expect(received[0]).toBe(memory.events()[1]);
  });

  it('uses the channel name given', () => {
    const received: unknown[] = [];
    const listener = (m: unknown) => void received.push(m);
    subscribe('my-app:decisions', listener);
    try {
      createGuard(catalogue, { recorder: createAuditTrail({ catalogue, sinks: [diagnosticsChannelSink({ channel: 'my-app:decisions' })] }) }).checkUse('customer', 'billing');
    } finally {
      unsubscribe('my-app:decisions', listener);
    }
    expect(received).toHaveLength(1);
  });
});

describe('memorySink', () => {
  it('refuses beyond its limit rather than forgetting; clear() empties it', () => {
    const memory = memorySink({ limit: 1 });
    const trail = createAuditTrail({ catalogue, sinks: [memory], policy: 'best_effort', onAuditError: () => {} });
    const guard = createGuard(catalogue, { recorder: trail });
    guard.checkUse('customer', 'billing');
    guard.checkUse('customer', 'billing');
    expect(memory.events()).toHaveLength(1);
    expect(trail.stats()).toMatchObject({ acknowledged: 1, failed: 1 });
    memory.clear();
    expect(memory.events()).toHaveLength(0);
  });
});
