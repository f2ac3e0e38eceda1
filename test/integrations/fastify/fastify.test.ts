import Fastify from 'fastify';
import { describe, expect, test } from 'vitest';
import { purposeFor, purposeGuard, replyWithProblem } from '../../../src/integrations/fastify/index.js';
import { currentPurpose } from '../../../src/node.js';
import { customerFixture } from '../fixture.js';

async function build(options: { errorHandler?: boolean } = {}) {
  const f = customerFixture();
  const app = Fastify();
  await app.register(purposeGuard, options);
  app.get<{ Params: { id: string } }>('/support/customers/:id', { config: { purpose: 'customer-support' } }, async (req) => f.customers.findById(req.params.id));
  app.get<{ Params: { id: string } }>(
    '/billing/customers/:id',
    { config: { purpose: (req) => ({ purpose: 'billing', actor: String(req.headers['x-actor']) }) } },
    async (req) => f.customers.findById(req.params.id),
  );
  app.get<{ Params: { id: string } }>('/hr/customers/:id', { config: { purpose: { purpose: 'employment.administration' } } }, async (req) => f.customers.findById(req.params.id));
  app.get<{ Params: { id: string } }>('/nowhere/customers/:id', async (req) => f.customers.findById(req.params.id));
  app.post('/echo', { config: { purpose: 'marketing.surveys' } }, async (req) => {
    await new Promise((r) => setTimeout(r, 2));
    return { purpose: currentPurpose(), body: req.body };
  });
  app.get('/bad', { config: { purpose: () => undefined as unknown as string } }, async () => ({ ran: true }));
  const typed = purposeFor(f.guard);
  app.get<{ Params: { id: string } }>('/typed/support/customers/:id', { config: { purpose: typed('customer-support') } }, async (req) => f.customers.findById(req.params.id));
  app.get('/typed/dynamic', { config: { purpose: typed((req) => ({ purpose: String(req.headers['x-purpose']) })) } }, async () => ({ ran: true }));
  app.get('/boom', { config: { purpose: 'billing' } }, async () => {
    throw new Error('other');
  });
  return { app, f };
}

describe('purpose-guard/fastify through app.inject', () => {
  test('per-route config purpose is in scope; results are minimised', async () => {
    const { app, f } = await build();
    const res = await app.inject({ method: 'GET', url: '/support/customers/c-1' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: 'c-1', name: 'Aiko Tanaka', email: 'aiko@example.jp' });
    expect(f.ran.at(-1)?.purpose).toBe('customer-support');
  });

  test('a declaration function reads the request', async () => {
    const { app, f } = await build();
    const res = await app.inject({ method: 'GET', url: '/billing/customers/c-1', headers: { 'x-actor': 'svc-b' } });
    expect(res.json().cardNumber).toBe('4242424242424242');
    expect(f.ran.at(-1)).toEqual({ method: 'findById', purpose: 'billing', actor: 'svc-b' });
  });

  test('deny: 403 problem+json built from the decision, no personal data, repository not run', async () => {
    const { app, f } = await build();
    const res = await app.inject({ method: 'GET', url: '/hr/customers/c-1' });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ type: 'urn:purpose-guard:purpose_not_permitted', status: 403, reason: 'purpose_not_permitted', subject: 'customer' });
    expect(res.body).not.toMatch(/Aiko|aiko@|4242|c-1/);
    expect(f.ran).toEqual([]);
  });

  test('no declaration: no_purpose_in_scope; malformed declaration: invalid_input', async () => {
    const { app } = await build();
    expect((await app.inject({ url: '/nowhere/customers/c-1' })).json().reason).toBe('no_purpose_in_scope');
    const bad = await app.inject({ url: '/bad' });
    expect(bad.statusCode).toBe(403);
    expect(bad.json().reason).toBe('invalid_input');
  });

  test('a purpose on a polluted Object.prototype is not a route declaration: no_purpose_in_scope, repository not run', async () => {
    const { app, f } = await build();
    const proto = Object.prototype as { purpose?: unknown };
    proto.purpose = 'billing';
    try {
      const res = await app.inject({ url: '/nowhere/customers/c-1' });
      expect(res.statusCode).toBe(403);
      expect(res.json().reason).toBe('no_purpose_in_scope');
    } finally {
      delete proto.purpose;
    }
    expect(f.ran).toEqual([]);
  });

  test('the scope holds after body parsing in a POST', async () => {
    const { app } = await build();
    const res = await app.inject({ method: 'POST', url: '/echo', payload: { q: 1 } });
    expect(res.json()).toEqual({ purpose: 'marketing.surveys', body: { q: 1 } });
  });

  test('other errors keep Fastify default handling (500)', async () => {
    const { app } = await build();
    const res = await app.inject({ url: '/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.json().message).toBe('other');
  });

  test('errorHandler: false leaves error handling to the app, which can use replyWithProblem', async () => {
    const { app } = await build({ errorHandler: false });
    expect((await app.inject({ url: '/hr/customers/c-1' })).statusCode).toBe(500);
    const { app: app2 } = await build({ errorHandler: false });
    app2.setErrorHandler((error, _req, reply) => {
      if (replyWithProblem(error, reply)) return reply;
      return reply.code(418).send({ teapot: true });
    });
    expect((await app2.inject({ url: '/hr/customers/c-1' })).statusCode).toBe(403);
    expect((await app2.inject({ url: '/boom' })).statusCode).toBe(418);
  });

  test('concurrent injected requests keep their own purposes', async () => {
    const { app } = await build();
    const paths = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? 'billing' : 'support'));
    const res = await Promise.all(paths.map((p) => app.inject({ url: `/${p}/customers/c-1` })));
    for (const [i, r] of res.entries()) expect('cardNumber' in r.json()).toBe(paths[i] === 'billing');
  });

  test('purposeFor(guard): a declared route purpose works like a plain one', async () => {
    const { app, f } = await build();
    const res = await app.inject({ method: 'GET', url: '/typed/support/customers/c-1' });
    expect(res.statusCode).toBe(200);
    expect(f.ran.at(-1)?.purpose).toBe('customer-support');
  });

  test("purposeFor(guard): a declaration function's undeclared answer is an unknown_purpose 403", async () => {
    const { app } = await build();
    const res = await app.inject({ method: 'GET', url: '/typed/dynamic', headers: { 'x-purpose': 'bilIing' } });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ reason: 'unknown_purpose', purpose: 'bilIing' });
    expect((await app.inject({ method: 'GET', url: '/typed/dynamic', headers: { 'x-purpose': 'billing' } })).json()).toEqual({ ran: true });
  });

  test('purposeFor(guard): an undeclared id known only at run time throws when the route is declared', async () => {
    const { f } = await build();
    const id = ['customer', 'suport'].join('-');
    expect(() => purposeFor(f.guard)(id)).toThrow(TypeError);
  });
});
