import { PerformanceObserver } from 'node:perf_hooks';
import { describe, expect, test } from 'vitest';
import { type Catalogue, createGuard, defaultCatalogue, type Guard } from '../../src/index.js';

// Issue 6 asks that the common paths allocate nothing. Not a timing: whether 200,000 checks make the
// young generation fill up (a scavenge) is a count, the same on a busy machine as on a quiet one.
// A control that allocates one small object per iteration shows the measure can fail.
const NOW = new Date('2026-11-25T09:00:00.000Z');
const guard: Guard = createGuard(defaultCatalogue as Catalogue, { clock: () => NOW });
const RUNS = 200_000;

async function scavengesDuring(fn: () => unknown): Promise<number> {
  for (let i = 0; i < 20_000; i++) fn(); // warm up: the JIT's own allocations happen here
  let minor = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if ((entry as { detail?: { kind?: number } }).detail?.kind === 1) minor++;
  });
  observer.observe({ entryTypes: ['gc'] });
  let sink: unknown;
  for (let i = 0; i < RUNS; i++) sink = fn();
  // GC entries are delivered asynchronously.
  await new Promise((resolve) => setTimeout(resolve, 20));
  observer.disconnect();
  expect(sink).toBeDefined();
  return minor;
}

const granted = new Date(NOW.getTime() - 86_400_000);
const plainContext = {
  consents: [
    { purpose: 'marketing.analytics', grantedAt: granted, id: 'c-1' },
    { purpose: 'marketing.notifications', grantedAt: granted, withdrawnAt: new Date(NOW.getTime() - 1000), id: 'c-2' },
  ],
};

describe('the common paths allocate nothing', () => {
  test('the measure sees allocation (control: one small object per call)', async () => {
    expect(await scavengesDuring(() => ({ allowed: true, n: Math.random() }))).toBeGreaterThan(0);
  });

  test('checks without a context: allowed, not permitted, undeclared ids', async () => {
    const pairs = [['customer', 'billing'], ['employee', 'billing'], ['Customer', 'billing'], ['customer', 'ads']] as const;
    let i = 0;
    expect(await scavengesDuring(() => {
      const [s, p] = pairs[i++ & 3] as (typeof pairs)[number];
      return guard.checkUse(s, p);
    })).toBe(0);
  });

  test('checks with a context read on every call (two consent records, one withdrawn)', async () => {
    expect(await scavengesDuring(() => guard.checkUse('customer', 'billing', plainContext))).toBe(0);
  });

  test('checks over a prepared context', async () => {
    const prepared = guard.prepareContext({ ...plainContext, dataCategories: ['contact'] });
    expect(await scavengesDuring(() => guard.checkUse('customer', 'billing', prepared))).toBe(0);
  });
});
