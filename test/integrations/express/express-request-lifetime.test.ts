import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import express from 'express';
import { afterAll, describe, expect, test } from 'vitest';
import { purpose } from '../../../src/integrations/express/index.js';
import { currentScope } from '../../../src/node.js';
import { serve } from './serve.js';

/**
 * Something a request starts under its route and that outlives it (a client
 * library's pool timer, created lazily by the first request) keeps the
 * route's scope, and the scope keeps its bound: the bound must not keep the
 * request (and its response and socket) alive. Asserted with a full garbage
 * collection, not with time: a request held strongly survives any number of them.
 */
function fullGc(): () => void {
  // vitest's workers do not run with --expose-gc: the flag, set now, exposes gc in a new context.
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

let pooled: NodeJS.Timeout | undefined;
afterAll(() => clearInterval(pooled));

describe('purpose-guard/express: the route scope does not keep the request alive', () => {
  test('a long-lived timer started under a route: every request is collectable once it is done', async () => {
    const gc = fullGc();
    const requests: WeakRef<object>[] = [];
    const app = express();
    app.get('/a/:id', purpose('customer-support'), (req, res) => {
      requests.push(new WeakRef(req));
      pooled ??= setInterval(() => void currentScope(), 1e6);
      res.send('ok');
    });
    const { base, close } = await serve(app);
    for (let i = 0; i < 3; i++) await (await fetch(`${base}/a/${i}`, { headers: { connection: 'close' } })).text();
    await close();
    expect(requests).toHaveLength(3);
    // A WeakRef's target stays alive until the current job ends: collect between turns of the event loop.
    for (let i = 0; i < 10 && requests.some((r) => r.deref() !== undefined); i++) {
      await new Promise((r) => setImmediate(r));
      gc();
    }
    expect(requests.map((r) => r.deref() === undefined)).toEqual([true, true, true]);
  });
});
