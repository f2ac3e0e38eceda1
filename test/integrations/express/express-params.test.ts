import express from 'express';
import { describe, expect, test } from 'vitest';
import { purpose, purposeErrorHandler } from '../../../src/integrations/express/index.js';
import { customerFixture } from '../fixture.js';
import { json, useServer } from './serve.js';

/**
 * The route's scope holds while req.params is the object the route was
 * dispatched with (by identity: a later layer may have equal params). A
 * handler of the route that replaces req.params ends it; one that changes it
 * in place does not. Pins the rule the middleware's JSDoc states.
 */
const f = customerFixture();
const app = express();
const read: express.RequestHandler = async (req, res) => {
  res.json(await f.customers.findById(String(req.params['id'])));
};
const replace: express.RequestHandler = (req, _res, next) => {
  (req as { params: unknown }).params = { ...req.params, id: String(req.params['id']).trim() };
  next();
};
const inPlace: express.RequestHandler = (req, _res, next) => {
  Object.assign(req.params, { id: String(req.params['id']).trim() });
  next();
};
app.get('/replaced/:id', purpose('customer-support'), replace, read);
app.get('/in-place/:id', purpose('customer-support'), inPlace, read);
// A middleware after the route sees params equal to the route's: by content it would still be in the route's scope.
app.get('/equal-params/:id', purpose('customer-support'), (_req, _res, next) => next());
app.use('/equal-params/:id', read);
app.use(purposeErrorHandler());

const server = useServer(app);

describe('purpose-guard/express: the route is told by req.params, by identity', () => {
  test('a handler of the route that replaces req.params ends the scope: no_purpose_in_scope, nothing runs', async () => {
    const before = f.ran.length;
    const res = await fetch(`${server.base}/replaced/c-1`);
    expect(res.status).toBe(403);
    expect((await json(res))['reason']).toBe('no_purpose_in_scope');
    expect(f.ran.length).toBe(before);
  });

  test('a handler of the route that changes req.params in place keeps the scope', async () => {
    const res = await fetch(`${server.base}/in-place/c-1`);
    expect(res.status).toBe(200);
    expect(f.ran.at(-1)?.purpose).toBe('customer-support');
  });

  test('a middleware after the route, with params equal to the route\'s, is not in the scope', async () => {
    const before = f.ran.length;
    const res = await fetch(`${server.base}/equal-params/c-1`);
    expect(res.status).toBe(403);
    expect((await json(res))['reason']).toBe('no_purpose_in_scope');
    expect(f.ran.length).toBe(before);
  });
});
