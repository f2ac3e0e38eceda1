import Fastify from 'fastify';
import { describe, expect, test } from 'vitest';
import { purposeFor, purposeGuard, replyWithProblem } from '../../../src/integrations/fastify/index.js';
import { auditedGuard } from '../audited-denials.js';

/** The 403s the plugin decides itself are in the audit trail, recorded before they are answered. */
async function build(options: { readonly withPluginGuard: boolean }) {
  const counter = { answered: 0 };
  const declared = auditedGuard(counter);
  const plugin = auditedGuard(counter);
  const app = Fastify();
  await app.register(purposeGuard, options.withPluginGuard ? { guard: plugin.guard, errorHandler: false } : { errorHandler: false });
  app.setErrorHandler((error, _request, reply) => {
    counter.answered++;
    if (replyWithProblem(error, reply)) return reply;
    return reply.code(500).send({ other: true });
  });
  const typed = purposeFor(declared.guard);
  app.get('/typed/:id', { config: { purpose: typed((req) => ({ purpose: String(req.headers['x-purpose']), actor: 'agent-7' })) } }, async () => ({ ran: true }));
  app.get('/malformed', { config: { purpose: () => ({ purpose: 'billing', actr: 'agent-7' }) as never } }, async () => ({ ran: true }));
  return { app, declared: declared.recorded, plugin: plugin.recorded };
}

describe('purpose-guard/fastify records the denials it decides', () => {
  test("purposeFor(guard): a declaration function's undeclared purpose is recorded with that guard, then answered", async () => {
    const { app, declared, plugin } = await build({ withPluginGuard: true });
    const res = await app.inject({ url: '/typed/c-1', headers: { 'x-purpose': 'bilIing' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().reason).toBe('unknown_purpose');
    expect(declared).toHaveLength(1);
    expect(declared[0]!.decision).toMatchObject({ allowed: false, reason: 'unknown_purpose', purpose: 'bilIing' });
    expect(declared[0]!.meta).toMatchObject({ via: 'fastify', method: 'GET /typed/:id' });
    expect(declared[0]!.answeredBefore).toBe(0);
    expect(plugin).toHaveLength(0);
  });

  test("the plugin's { guard }: a malformed scope is recorded (with the input as context), then answered", async () => {
    const { app, plugin } = await build({ withPluginGuard: true });
    const res = await app.inject({ url: '/malformed' });
    expect(res.statusCode).toBe(403);
    expect(res.json().reason).toBe('invalid_input');
    expect(plugin).toHaveLength(1);
    expect(plugin[0]!.decision).toMatchObject({ reason: 'invalid_input', field: 'actr' });
    expect(plugin[0]!.context).toEqual({ purpose: 'billing', actr: 'agent-7' });
    expect(plugin[0]!.answeredBefore).toBe(0);
  });

  test('without a guard, the same 403 is answered and nothing is recorded', async () => {
    const { app, declared, plugin } = await build({ withPluginGuard: false });
    expect((await app.inject({ url: '/malformed' })).statusCode).toBe(403);
    expect(plugin).toHaveLength(0);
    expect(declared).toHaveLength(0);
  });
});
