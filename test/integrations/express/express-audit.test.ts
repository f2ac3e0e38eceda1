import express from 'express';
import { describe, expect, test } from 'vitest';
import { purpose, purposeErrorHandler, purposeFor } from '../../../src/integrations/express/index.js';
import { auditedGuard } from '../audited-denials.js';
import { useServer } from './serve.js';

/** The 403s the middleware decides itself are in the audit trail, recorded before they are answered. */
const { guard, recorded, counter } = auditedGuard();
const app = express();
const typed = purposeFor(guard);
app.get('/typed/:id', typed((req) => ({ purpose: String(req.get('x-purpose')), actor: 'agent-7' })), (_req, res) => {
  res.json({ ran: true });
});
app.get('/malformed', purpose(() => ({ purpose: 'billing', actr: 'agent-7' }) as never, { guard }), (_req, res) => {
  res.json({ ran: true });
});
app.get('/unaudited', purpose(() => ({ purpose: 'billing', actr: 'agent-7' }) as never), (_req, res) => {
  res.json({ ran: true });
});
const mounted = express.Router();
mounted.use(purpose('billing', { guard }));
mounted.get('/x', (_req, res) => {
  res.json({ ran: true });
});
app.use('/mounted', mounted);
app.use((error: unknown, _req: express.Request, _res: express.Response, next: express.NextFunction) => {
  counter.answered++;
  next(error);
});
app.use(purposeErrorHandler());

const server = useServer(app);

async function denied(path: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(`${server.base}${path}`, { headers });
  expect(res.status).toBe(403);
  return ((await res.json()) as { reason: string }).reason;
}

describe('purpose-guard/express records the denials it decides', () => {
  test("purposeFor(guard): a declaration function's undeclared purpose is recorded with the guard, then answered", async () => {
    const before = recorded.length;
    const answered = counter.answered;
    expect(await denied('/typed/c-1', { 'x-purpose': 'bilIing' })).toBe('unknown_purpose');
    expect(recorded.length).toBe(before + 1);
    const event = recorded.at(-1)!;
    expect(event.decision).toMatchObject({ allowed: false, reason: 'unknown_purpose', purpose: 'bilIing' });
    expect(event.meta).toMatchObject({ via: 'express', method: 'GET /typed/:id' });
    expect(event.answeredBefore).toBe(answered);
  });

  test('purpose(declaration, { guard }): a malformed scope is recorded (with the input as context), then answered', async () => {
    const before = recorded.length;
    const answered = counter.answered;
    expect(await denied('/malformed')).toBe('invalid_input');
    expect(recorded.length).toBe(before + 1);
    const event = recorded.at(-1)!;
    expect(event.decision).toMatchObject({ reason: 'invalid_input', field: 'actr' });
    expect(event.context).toEqual({ purpose: 'billing', actr: 'agent-7' });
    expect(event.answeredBefore).toBe(answered);
  });

  test('purpose(declaration, { guard }) outside a route: the refusal is recorded', async () => {
    const before = recorded.length;
    expect(await denied('/mounted/x')).toBe('invalid_input');
    expect(recorded.length).toBe(before + 1);
    expect(recorded.at(-1)!.decision).toMatchObject({ reason: 'invalid_input', field: 'route', purpose: 'billing' });
  });

  test('without a guard, purpose() answers the same 403 and records nothing', async () => {
    const before = recorded.length;
    expect(await denied('/unaudited')).toBe('invalid_input');
    expect(recorded.length).toBe(before);
  });
});
