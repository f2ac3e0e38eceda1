import express from 'express';
import { describe, expect, test } from 'vitest';
import { purpose, purposeErrorHandler } from '../../../src/integrations/express/index.js';
import { customerFixture } from '../fixture.js';
import { json, useServer } from './serve.js';

/**
 * A route's purpose is the route's: the router calls the next route or
 * middleware from inside the route's async context, and none of them may run
 * under a purpose they did not declare.
 */
const f = customerFixture();
const app = express();
const read: express.RequestHandler = async (req, res) => {
  res.json(await f.customers.findById(String(req.params['id'])));
};

// Two routers at one prefix: the first opens a purpose for itself with router.use, the second declares none.
const billing = express.Router();
billing.use(purpose('billing'));
billing.get('/invoices/:id', (_req, res) => {
  res.json({ invoice: true });
});
const misc = express.Router();
misc.get('/customers/:id', read);
app.use('/api', billing);
app.use('/api', misc);

// next('route') from a route that declared billing, to a route that declares nothing.
app.get('/next-route/:id', purpose('billing'), (_req, _res, next) => next('route'));
app.get('/next-route/:id', read);
// The same after an await: the next route runs in the first route's async context.
app.get('/next-route-async/:id', purpose('billing'), async (_req, _res, next) => {
  await new Promise((r) => setTimeout(r, 1));
  next('route');
});
app.get('/next-route-async/:id', read);
// next() past the end of the route, into later middleware.
app.get('/fall-through/:id', purpose('billing'), (_req, _res, next) => next());
app.use('/fall-through/:id', read);
// app.route(...).all(purpose(...)) is route-level: its methods' handlers run in it.
app.route('/all/:id').all(purpose('customer-support')).get(read);

app.use(purposeErrorHandler());

const server = useServer(app);

describe('purpose-guard/express: a purpose is the route\'s, not the request\'s', () => {
  test('router.use(purpose(...)) is refused (invalid_input, field route): its scope would reach a sibling router\'s routes', async () => {
    const before = f.ran.length;
    const escaped = await fetch(`${server.base}/api/customers/c-1`);
    expect(escaped.status).toBe(403);
    expect(await json(escaped)).toMatchObject({ reason: 'invalid_input', purpose: 'billing' });
    expect(f.ran.length).toBe(before);
    const own = await fetch(`${server.base}/api/invoices/i-1`);
    expect(own.status).toBe(403);
    expect((await json(own))['reason']).toBe('invalid_input');
  });

  test('app.route(path).all(purpose(...)) scopes the route\'s handlers', async () => {
    const res = await fetch(`${server.base}/all/c-1`);
    expect(res.status).toBe(200);
    expect(f.ran.at(-1)?.purpose).toBe('customer-support');
  });
});

describe('purpose-guard/express: leaving the route ends its scope', () => {
  test.each(['next-route', 'next-route-async', 'fall-through'])('%s: the route or middleware after it runs with no purpose: no_purpose_in_scope', async (path) => {
    const before = f.ran.length;
    const res = await fetch(`${server.base}/${path}/c-1`);
    expect(res.status).toBe(403);
    expect((await json(res))['reason']).toBe('no_purpose_in_scope');
    expect(f.ran.length).toBe(before);
  });
});
