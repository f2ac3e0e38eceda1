import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { openServiceDatabase } from '../../examples/service/database.js';
import { createRepositories } from '../../examples/service/repositories.js';
import { createGuard, defaultCatalogue, type PurposeViolationError } from '../../src/index.js';
import { currentScope, runWithPurpose } from '../../src/node.js';

const dir = mkdtempSync(join(tmpdir(), 'pg-conc-'));
const database = openServiceDatabase(join(dir, 'conc.db'));
afterAll(() => {
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

const N = Number(process.env['PG_CONCURRENCY_N'] ?? 1000);
const PURPOSES = ['customer-support', 'billing', 'fraud-prevention', 'marketing.analytics', 'employment.administration'] as const;
const CUSTOMERS = ['cus-001', 'cus-002', 'cus-003', 'cus-004', 'cus-005'] as const;
type Pause = 'scheduled' | 'timer' | 'immediate' | 'microtask';

const request = fc.record({
  purpose: fc.constantFrom(...PURPOSES),
  customer: fc.constantFrom(...CUSTOMERS),
  pauses: fc.array(fc.constantFrom<Pause>('scheduled', 'timer', 'immediate', 'microtask'), { minLength: 1, maxLength: 4 }),
  nested: fc.boolean(),
});

describe('1,000 interleaved requests with different purposes', () => {
  test('every repository call sees its own request purpose and context (randomised, seeded interleaving)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.array(request, { minLength: N, maxLength: N }), async (s, plans) => {
        const seen = new Map<string, { purpose: string; subjectId: unknown; dataCategories: unknown }[]>();
        const guard = createGuard(defaultCatalogue, {
          recorder: {
            record: (d, ctx) => {
              const c = ctx as { actor: string; subjectId: unknown; dataCategories: unknown };
              const list = seen.get(c.actor) ?? [];
              list.push({ purpose: d.purpose, subjectId: c.subjectId, dataCategories: c.dataCategories });
              seen.set(c.actor, list);
            },
          },
        });
        const repos = createRepositories(database.db, guard);
        const pause = async (kind: Pause, i: number): Promise<void> => {
          if (kind === 'scheduled') await s.schedule(Promise.resolve(), `req-${i}`);
          else if (kind === 'timer') await new Promise((r) => setTimeout(r, i % 3));
          else if (kind === 'immediate') await new Promise((r) => setImmediate(r));
          else await Promise.resolve();
        };
        const outcomes = plans.map((plan, i) =>
          runWithPurpose({ purpose: plan.purpose, actor: `req-${i}` }, async () => {
            const out: { scope: string | undefined; result?: unknown; error?: string }[] = [];
            for (const kind of plan.pauses) {
              await pause(kind, i);
              if (plan.nested && kind === 'scheduled') {
                // a nested scope under concurrency: fraud check, then back to the request's own purpose
                await runWithPurpose({ purpose: 'fraud-prevention' }, async () => {
                  await pause('immediate', i);
                  await repos.customers.findById(plan.customer);
                });
              }
              out.push({ scope: currentScope()?.purpose });
              try {
                out.push({ scope: currentScope()?.purpose, result: await repos.customers.findById(plan.customer) });
              } catch (e) {
                out.push({ scope: currentScope()?.purpose, error: (e as PurposeViolationError).reason });
              }
            }
            return out;
          }),
        );
        // Timers and immediates schedule more tasks after a waitAll: keep releasing until every request has settled.
        let settled = false;
        const all = Promise.allSettled(outcomes).finally(() => { settled = true; });
        while (!settled) {
          await s.waitAll();
          await new Promise((r) => setImmediate(r));
        }
        const results = (await all).map((r) => {
          if (r.status === 'rejected') throw r.reason;
          return r.value;
        });

        plans.forEach((plan, i) => {
          const out = results?.[i] ?? [];
          for (const o of out) expect(o.scope).toBe(plan.purpose);
          for (const o of out.filter((x) => 'result' in x || 'error' in x)) {
            if (plan.purpose === 'employment.administration') expect(o.error).toBe('purpose_not_permitted');
            // findById needs identity data, which marketing analysis may not touch
            else if (plan.purpose === 'marketing.analytics') expect(o.error).toBe('data_category_not_permitted');
            else {
              expect((o.result as { id: string }).id).toBe(plan.customer);
              expect('cardLast4' in (o.result as object)).toBe(plan.purpose === 'billing' || plan.purpose === 'fraud-prevention');
              expect('supportNote' in (o.result as object)).toBe(plan.purpose === 'customer-support');
            }
          }
          const events = seen.get(`req-${i}`) ?? [];
          const nestedCalls = plan.nested ? plan.pauses.filter((p) => p === 'scheduled').length : 0;
          expect(events).toHaveLength(plan.pauses.length + nestedCalls);
          for (const e of events) {
            expect(e.subjectId).toBe(plan.customer);
            expect([plan.purpose, ...(nestedCalls > 0 ? ['fraud-prevention'] : [])]).toContain(e.purpose);
          }
          expect(events.filter((e) => e.purpose === 'fraud-prevention').length).toBe(nestedCalls + (plan.purpose === 'fraud-prevention' ? plan.pauses.length : 0));
        });
      }),
      { seed: 20261126, numRuns: 3 },
    );
  });
});
