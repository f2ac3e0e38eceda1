import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { describe, expect, test } from 'vitest';
import { purposeErrorHandler, purposeFor as expressPurposeFor } from '../../src/integrations/express/index.js';
import { purposeFor as fastifyPurposeFor, purposeGuard } from '../../src/integrations/fastify/index.js';
import { defaultCatalogue } from '../../src/index.js';
import { auditedGuard } from './audited-denials.js';

/**
 * purposeFor takes an object with only a catalogue: its 403s are answered and
 * recorded by no one, not by a `record` a polluted Object.prototype holds
 * (it is not the guard's, and would receive the denials and their context).
 */
const proto = Object.prototype as Record<string, unknown>;

/** Runs `fn` with a `record` function planted on Object.prototype; answers what it was called with. */
async function withPollutedRecord(fn: () => Promise<void>): Promise<unknown[]> {
  const calls: unknown[] = [];
  proto['record'] = (decision: unknown) => {
    calls.push(decision);
  };
  try {
    await fn();
  } finally {
    delete proto['record'];
  }
  return calls;
}

describe('purposeFor({ catalogue }): no record, nothing recorded', () => {
  test('Express: an undeclared purpose is a 403, answered without calling a record on Object.prototype', async () => {
    const app = express();
    const purpose = expressPurposeFor({ catalogue: defaultCatalogue });
    app.get('/x', purpose((req) => String(req.get('x-purpose'))), (_req, res) => {
      res.json({ ran: true });
    });
    app.use(purposeErrorHandler());
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    let status = 0;
    let reason: unknown;
    try {
      const calls = await withPollutedRecord(async () => {
        const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/x`, { headers: { 'x-purpose': 'bilIing' } });
        status = res.status;
        reason = ((await res.json()) as { reason?: unknown }).reason;
      });
      expect(calls).toEqual([]);
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect(status).toBe(403);
    expect(reason).toBe('unknown_purpose');
  });

  test('Fastify: an undeclared purpose is a 403, recorded by the plugin\'s own guard, not by Object.prototype', async () => {
    const plugin = auditedGuard();
    const app = Fastify();
    await app.register(purposeGuard, { guard: plugin.guard });
    const purpose = fastifyPurposeFor({ catalogue: defaultCatalogue });
    app.get('/x', { config: { purpose: purpose((req) => String(req.headers['x-purpose'])) } }, async () => ({ ran: true }));
    let status = 0;
    let reason: unknown;
    const calls = await withPollutedRecord(async () => {
      const res = await app.inject({ url: '/x', headers: { 'x-purpose': 'bilIing' } });
      status = res.statusCode;
      reason = res.json().reason;
    });
    expect(calls).toEqual([]);
    expect(status).toBe(403);
    expect(reason).toBe('unknown_purpose');
    expect(plugin.recorded.map((r) => r.decision.reason)).toEqual(['unknown_purpose']);
  });
});
