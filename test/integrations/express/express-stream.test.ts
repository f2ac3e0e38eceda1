import { AsyncResource } from 'node:async_hooks';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import express from 'express';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { purpose } from '../../../src/integrations/express/index.js';
import { currentPurpose } from '../../../src/node.js';

/**
 * The request's own events ('data', 'end') are emitted from the socket, so a
 * plain listener runs in the socket's async context, not the route's: the
 * adapter does not rebind them (binding every listener changes what
 * removeListener, once and listeners() see; binding emit would hand the
 * route's purpose to listeners other middleware attached). What the README
 * promises instead: such a listener sees no purpose, never another request's,
 * and awaiting the body, or a listener bound with AsyncResource.bind, keeps
 * the route's.
 */
const app = express();
let attached: () => void = () => undefined;
for (const p of ['billing', 'customer-support']) {
  app.post(`/events/${p}`, purpose(p), (req, res) => {
    const seen: { data?: string | null; end?: string | null } = {};
    req.on('data', () => {
      seen.data = currentPurpose() ?? null;
    });
    req.on('end', () => {
      seen.end = currentPurpose() ?? null;
    });
    req.on('end', AsyncResource.bind(() => res.json({ ...seen, bound: currentPurpose() })));
    attached();
  });
  app.post(`/await/${p}`, purpose(p), async (req, res) => {
    const body = text(req);
    attached();
    await body;
    res.json({ awaited: currentPurpose() });
  });
}

let server: Server;
let port: number;
beforeAll(async () => {
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((r) => server.close(r)));

/** POSTs a body sent only once the handler has attached its listeners, so it reaches them from the socket. */
function postLate(agent: http.Agent, path: string): Promise<Record<string, string | null>> {
  const ready = new Promise<void>((resolve) => {
    attached = resolve;
  });
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, port, host: '127.0.0.1', method: 'POST', path, headers: { 'content-length': '3' } }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve(JSON.parse(body)));
    });
    req.on('error', reject);
    req.flushHeaders();
    void ready.then(() => req.end('abc'));
  });
}

describe('purpose-guard/express: the request stream', () => {
  test("a plain 'data'/'end' listener sees no purpose (fail closed), not the previous request's on the same socket; a bound one sees the route's", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await postLate(agent, '/events/billing')).toEqual({ data: null, end: null, bound: 'billing' });
      expect(await postLate(agent, '/events/customer-support')).toEqual({ data: null, end: null, bound: 'customer-support' });
    } finally {
      agent.destroy();
    }
  });

  test('awaiting the body keeps the route purpose', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await postLate(agent, '/await/billing')).toEqual({ awaited: 'billing' });
      expect(await postLate(agent, '/await/customer-support')).toEqual({ awaited: 'customer-support' });
    } finally {
      agent.destroy();
    }
  });
});
