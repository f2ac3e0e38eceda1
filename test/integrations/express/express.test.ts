import express from 'express';
import { describe, expect, test } from 'vitest';
import { purpose, purposeErrorHandler, purposeFor } from '../../../src/integrations/express/index.js';
import { currentPurpose } from '../../../src/node.js';
import { customerFixture } from '../fixture.js';
import { json, useServer } from './serve.js';

const f = customerFixture();
const app = express();
app.use(express.json());
app.get('/support/customers/:id', purpose('customer-support'), async (req, res) => {
  res.json(await f.customers.findById(String(req.params['id'])));
});
app.get('/billing/customers/:id', purpose((req) => ({ purpose: 'billing', actor: req.get('x-actor') })), async (req, res) => {
  res.json(await f.customers.findById(String(req.params['id'])));
});
app.get('/hr/customers/:id', purpose('employment.administration'), async (req, res) => {
  res.json(await f.customers.findById(String(req.params['id'])));
});
app.get('/nowhere/customers/:id', async (req, res) => {
  res.json(await f.customers.findById(String(req.params['id'])));
});
app.get('/bad', purpose((req) => req.get('x-purpose') as string), (_req, res) => {
  res.json({ ran: true });
});
app.post('/echo', purpose('marketing.surveys'), async (req, res) => {
  await new Promise((r) => setTimeout(r, 2));
  res.json({ purpose: currentPurpose(), body: req.body });
});
app.get('/boom', purpose('billing'), () => {
  throw new Error('not a purpose error');
});
const typed = purposeFor(f.guard);
app.get('/typed/support/customers/:id', typed('customer-support'), async (req, res) => {
  res.json(await f.customers.findById(String(req.params['id'])));
});
app.get('/typed/dynamic', typed((req) => ({ purpose: String(req.get('x-purpose')) })), (_req, res) => {
  res.json({ ran: true });
});
app.use(purposeErrorHandler());
app.use((_error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
  res.status(500).json({ other: true });
});

const server = useServer(app);

describe('purpose-guard/express over a loopback server', () => {
  test('the route purpose is in scope across await; results are minimised', async () => {
    const res = await fetch(`${server.base}/support/customers/c-1`);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ id: 'c-1', name: 'Aiko Tanaka', email: 'aiko@example.jp' });
    expect(f.ran.at(-1)).toEqual({ method: 'findById', purpose: 'customer-support', actor: undefined });
  });

  test('a declaration function reads the request (actor)', async () => {
    const res = await fetch(`${server.base}/billing/customers/c-1`, { headers: { 'x-actor': 'billing-svc' } });
    expect((await json(res))['cardNumber']).toBe('4242424242424242');
    expect(f.ran.at(-1)).toEqual({ method: 'findById', purpose: 'billing', actor: 'billing-svc' });
  });

  test('a denied use is a 403 problem+json without personal data, and the repository never ran', async () => {
    const before = f.ran.length;
    const res = await fetch(`${server.base}/hr/customers/c-1`);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const text = await res.text();
    const body = JSON.parse(text);
    expect(body).toMatchObject({ type: 'urn:purpose-guard:purpose_not_permitted', status: 403, reason: 'purpose_not_permitted', subject: 'customer', purpose: 'employment.administration' });
    expect(typeof body.detail).toBe('string');
    expect(text).not.toMatch(/Aiko|aiko@|4242|c-1/);
    expect(f.ran.length).toBe(before);
  });

  test('a route with no declaration: no_purpose_in_scope, 403', async () => {
    const res = await fetch(`${server.base}/nowhere/customers/c-1`);
    expect(res.status).toBe(403);
    expect((await json(res))['reason']).toBe('no_purpose_in_scope');
  });

  test('a malformed declaration (missing header) is an invalid_input 403 and the handler does not run', async () => {
    const res = await fetch(`${server.base}/bad`);
    expect(res.status).toBe(403);
    expect((await json(res))['reason']).toBe('invalid_input');
  });

  test('the scope holds in a POST handler after body parsing', async () => {
    const res = await fetch(`${server.base}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ q: 1 }) });
    expect(await json(res)).toEqual({ purpose: 'marketing.surveys', body: { q: 1 } });
  });

  test('other errors pass to the next error handler', async () => {
    const res = await fetch(`${server.base}/boom`);
    expect(res.status).toBe(500);
    expect(await json(res)).toEqual({ other: true });
  });

  test('concurrent requests keep their own purposes', async () => {
    const paths = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 'support' : 'billing'));
    const bodies = await Promise.all(paths.map((p) => fetch(`${server.base}/${p}/customers/c-1`).then(json)));
    for (const [i, b] of bodies.entries()) expect('cardNumber' in b).toBe(paths[i] === 'billing');
  });

  test('purposeFor(guard): a declared route purpose works like purpose()', async () => {
    const res = await fetch(`${server.base}/typed/support/customers/c-1`);
    expect(res.status).toBe(200);
    expect(f.ran.at(-1)?.purpose).toBe('customer-support');
  });

  test("purposeFor(guard): a declaration function's undeclared answer is an unknown_purpose 403 and the handler does not run", async () => {
    const res = await fetch(`${server.base}/typed/dynamic`, { headers: { 'x-purpose': 'bilIing' } });
    expect(res.status).toBe(403);
    expect(await json(res)).toMatchObject({ reason: 'unknown_purpose', purpose: 'bilIing' });
    const ok = await fetch(`${server.base}/typed/dynamic`, { headers: { 'x-purpose': 'billing' } });
    expect(await json(ok)).toEqual({ ran: true });
  });

  test('purposeFor(guard): an undeclared id known only at run time throws when the route is declared', () => {
    const id = ['customer', 'suport'].join('-');
    expect(() => typed(id)).toThrow(TypeError);
  });
});
