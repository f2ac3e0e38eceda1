import { createHash, createHmac, createSecretKey } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { AuditError, canonicalJson, catalogueHash, createAuditTrail, memorySink, type DecisionEvent } from '../../src/audit.js';
import { createGuard, defaultCatalogue, defineCatalogue, type Decision } from '../../src/index.js';
import { invariantHolds, scriptedSink, type Behaviour } from './helpers.js';

const catalogue = defaultCatalogue;
const quiet = () => {};

describe('decision events', () => {
  it('records exactly one event per checkUse, assertUse and checkUseAsync, with unique ids and gapless seq', async () => {
    const memory = memorySink();
    const guard = createGuard(catalogue, { recorder: createAuditTrail({ catalogue, sinks: [memory] }) });
    guard.checkUse('customer', 'billing');
    guard.assertUse('customer', 'service-provision');
    expect(() => guard.assertUse('employee', 'marketing.analytics' as string)).toThrow();
    await guard.checkUseAsync('shareholder', 'shareholder-registry', {}, { operation: 'read', method: 'Registry.list' });
    guard.permittedPurposes('customer'); // answers a question, touches no data: not recorded
    const events = memory.events();
    expect(events.map((e) => [e.seq, e.via, e.subject, e.purpose, e.allowed])).toEqual([
      [1, 'checkUse', 'customer', 'billing', true],
      [2, 'assertUse', 'customer', 'service-provision', true],
      [3, 'assertUse', 'employee', 'marketing.analytics', false],
      [4, 'checkUseAsync', 'shareholder', 'shareholder-registry', true],
    ]);
    expect(new Set(events.map((e) => e.decisionId)).size).toBe(4);
    for (const e of events) expect(e.decisionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(events[3]).toMatchObject({ operation: 'read', method: 'Registry.list' });
  });

  it('checkUse and assertUse carry a wrapper\'s meta (operation, method, via) into the record, as checkUseAsync does', () => {
    const memory = memorySink();
    const guard = createGuard(catalogue, { recorder: createAuditTrail({ catalogue, sinks: [memory] }) });
    guard.checkUse('customer', 'billing', undefined, { operation: 'read', method: 'Invoices.list', via: 'guardRepository' });
    guard.assertUse('customer', 'billing', {}, { operation: 'write', method: 'Invoices.save' });
    guard.checkUse('customer', 'billing');
    expect(memory.events().map((e) => [e.via, e.operation, e.method])).toEqual([
      ['guardRepository', 'read', 'Invoices.list'],
      ['assertUse', 'write', 'Invoices.save'],
      ['checkUse', undefined, undefined],
    ]);
  });

  it('carries the catalogue version and the SHA-256 of its canonical JSON', () => {
    const memory = memorySink();
    createGuard(catalogue, { recorder: createAuditTrail({ catalogue, sinks: [memory] }) }).checkUse('customer', 'billing');
    const expected = createHash('sha256').update(canonicalJson(catalogue)).digest('hex');
    expect(memory.events()[0]?.catalogue).toEqual({ version: '2026-11-24', hash: expected });
    const spec = {
      version: '1',
      controller: { name: 'A' },
      dataCategories: {},
      purposes: { a: { title: 'A' }, b: { title: 'B' } },
      subjects: { s: { title: 'S', purposes: { a: 'x' } } },
    };
    const reordered = { ...spec, purposes: { b: { title: 'B' }, a: { title: 'A' } } };
    expect(catalogueHash(defineCatalogue(spec))).toBe(catalogueHash(defineCatalogue(reordered)));
    expect(catalogueHash(defineCatalogue(spec))).not.toBe(catalogueHash(defineCatalogue({ ...spec, version: '2' })));
  });

  it('records what an allow relied on: basis, consent id, exception ground and reference', () => {
    const memory = memorySink();
    const guard = createGuard(catalogue, { recorder: createAuditTrail({ catalogue, sinks: [memory] }) });
    const now = '2026-06-01T00:00:00Z';
    guard.checkUse('customer', 'marketing.notifications', { now, consents: [{ purpose: 'marketing.notifications', grantedAt: '2026-01-01T00:00:00Z', id: 'c-7' }] });
    guard.checkUse('employee', 'billing' as string, { now, exception: { ground: 'laws_and_regulations', reference: 'Tax Act s. 1' } });
    guard.checkUse('customer', 'marketing.notifications', { now });
    const [consented, excepted, denied] = memory.events();
    expect(consented).toMatchObject({ allowed: true, reason: 'permitted', basis: 'consent', consentId: 'c-7' });
    expect(excepted).toMatchObject({ allowed: true, reason: 'permitted_by_exception', exception: { ground: 'laws_and_regulations', reference: 'Tax Act s. 1' } });
    expect(denied).toMatchObject({ allowed: false, proceeded: false, reason: 'consent_required', step: 'consent' });
  });

  it('stores the subject id only as a keyed HMAC, and with no key stores no reference at all', () => {
    const withKey = memorySink();
    const without = memorySink();
    const ctx = { subjectId: 'customer-4711@example.com', actor: 'support-agent-3' };
    createGuard(catalogue, { recorder: createAuditTrail({ catalogue, sinks: [withKey], hmacKey: 'secret', hmacKeyId: 'k1' }) }).checkUse('customer', 'billing', ctx);
    createGuard(catalogue, { recorder: createAuditTrail({ catalogue, sinks: [without] }) }).checkUse('customer', 'billing', ctx);
    const keyed = withKey.events()[0] as DecisionEvent;
    expect(keyed.subjectRef).toBe(createHmac('sha256', 'secret').update(ctx.subjectId).digest('hex'));
    expect(keyed.subjectRefKeyId).toBe('k1');
    expect(keyed.actor).toBe('support-agent-3');
    for (const event of [keyed, without.events()[0]]) expect(JSON.stringify(event)).not.toContain('customer-4711');
    expect(without.events()[0]).not.toHaveProperty('subjectRef');
  });

  it("stamps each event with the trail's clock, in UTC, to the millisecond", () => {
    const memory = memorySink();
    const stamps = [Date.UTC(2026, 10, 26, 23, 59, 59, 999), Date.UTC(1999, 11, 31, 15, 0, 0, 1)];
    let i = 0;
    const trail = createAuditTrail({ catalogue, sinks: [memory], clock: () => new Date(stamps[i++] as number) });
    const guard = createGuard(catalogue, { recorder: trail });
    guard.checkUse('customer', 'billing');
    guard.checkUse('customer', 'billing');
    expect(memory.events().map((e) => e.at)).toEqual(['2026-11-26T23:59:59.999Z', '1999-12-31T15:00:00.001Z']);
    const before = Date.now();
    const live = memorySink();
    createGuard(catalogue, { recorder: createAuditTrail({ catalogue, sinks: [live] }) }).checkUse('customer', 'billing');
    const at = Date.parse((live.events()[0] as DecisionEvent).at);
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
  });

  it('gives the same reference for a key given as a string, bytes or a KeyObject (and a non-ASCII key)', () => {
    const refs = ['sécret-🔑', new TextEncoder().encode('sécret-🔑'), createSecretKey(Buffer.from('sécret-🔑', 'utf8'))].map((hmacKey) => {
      const memory = memorySink();
      createGuard(catalogue, { recorder: createAuditTrail({ catalogue, sinks: [memory], hmacKey }) }).checkUse('customer', 'billing', { subjectId: 'c-1' });
      return (memory.events()[0] as DecisionEvent).subjectRef;
    });
    expect(refs).toEqual(Array(3).fill(createHmac('sha256', 'sécret-🔑').update('c-1').digest('hex')));
  });

  it('serialises whatever the context held: cycles, BigInt, huge strings, throwing getters, proxies', () => {
    const memory = memorySink();
    const guard = createGuard(catalogue, { recorder: createAuditTrail({ catalogue, sinks: [memory], hmacKey: 'k' }) });
    const cyclic: Record<string, unknown> = { actor: 'a' };
    cyclic['self'] = cyclic;
    const huge = 'x'.repeat(1_000_000);
    const contexts: unknown[] = [
      cyclic,
      { actor: 10n, subjectId: 10n, consents: [{ purpose: 'billing', grantedAt: 1n }] },
      { actor: huge, subjectId: huge },
      Object.defineProperty({}, 'actor', { enumerable: true, get: () => { throw new Error('boom'); } }),
      new Proxy({}, { get: () => { throw new Error('trap'); }, has: () => { throw new Error('trap'); }, getOwnPropertyDescriptor: () => { throw new Error('trap'); } }),
      { actor: 'lone \ud800 surrogate' },
    ];
    for (const ctx of contexts) guard.checkUse('customer', 'billing', ctx as never);
    guard.checkUse(huge as string, huge as string);
    const events = memory.events();
    expect(events).toHaveLength(contexts.length + 1);
    for (const event of events) {
      expect(() => canonicalJson(event)).not.toThrow();
      expect(JSON.stringify(event).length).toBeLessThan(8_000);
    }
    expect(events[0]?.actor).toBe('a');
    expect(events[1]).not.toHaveProperty('actor');
    expect(events[2]?.actor?.length).toBeLessThan(600);
    expect(events[2]?.subjectRef).toBe(createHmac('sha256', 'k').update(huge).digest('hex'));
    expect(events[5]?.actor).toBe('lone \ufffd surrogate');
    expect(events[6]?.reason).toBe('unknown_subject');
    expect(events[6]?.subject.length).toBeLessThan(600);
  });
});

describe('monitor mode', () => {
  it('lets a would-be deny through and records it with the real reason', () => {
    const memory = memorySink();
    const guard = createGuard(catalogue, { mode: 'monitor', recorder: createAuditTrail({ catalogue, sinks: [memory] }) });
    const d = guard.checkUse('employee', 'marketing.analytics' as string);
    expect(d).toMatchObject({ allowed: true, reason: 'monitored', denied: { reason: 'purpose_not_permitted' } });
    expect(() => guard.assertUse('customer', 'marketing.notifications')).not.toThrow();
    guard.checkUse('customer', 'billing');
    expect(memory.events().map((e) => [e.mode, e.allowed, e.proceeded, e.reason])).toEqual([
      ['monitor', false, true, 'purpose_not_permitted'],
      ['monitor', false, true, 'consent_required'],
      ['monitor', true, true, 'permitted'],
    ]);
  });

  it('an enforcing guard records the same decision as denied and not proceeded', () => {
    const memory = memorySink();
    createGuard(catalogue, { recorder: createAuditTrail({ catalogue, sinks: [memory] }) }).checkUse('employee', 'marketing.analytics' as string);
    expect(memory.events()[0]).toMatchObject({ mode: 'enforce', allowed: false, proceeded: false, reason: 'purpose_not_permitted' });
  });
});

/** A repository behind `checkUseAsync`: it records each access with the decision it relied on. */
function fakeRepository(guard: { checkUseAsync: ReturnType<typeof createGuard<typeof defaultCatalogue>>['checkUseAsync'] }, sink: ReturnType<typeof scriptedSink>) {
  const accesses: { decisionId: string; acknowledged: boolean }[] = [];
  return {
    accesses,
    async findCustomer(): Promise<Decision> {
      const index = sink.seen.length; // the guard writes synchronously, before its first await
      const decision = await guard.checkUseAsync('customer', 'billing', {}, { operation: 'read', method: 'Customers.find' });
      if (decision.allowed) {
        const last = sink.seen[index] as DecisionEvent;
        accesses.push({ decisionId: last.decisionId, acknowledged: sink.acked.has(last.decisionId) });
      }
      return decision;
    },
  };
}

/** A hand-made thenable, as a sink may return instead of a native promise. */
function thenable(then: (ok: () => void, fail: (cause: unknown) => void) => void): PromiseLike<void> {
  return { then } as PromiseLike<void>;
}

describe('failure policy: strict', () => {
  it.each<Behaviour>(['throw', 'reject', 'hang'])('a sink that %s denies with audit_unavailable before the data is touched', async (behaviour) => {
    const sink = scriptedSink([behaviour]);
    const onAuditError = vi.fn();
    const trail = createAuditTrail({ catalogue, sinks: [sink], timeoutMs: 20, onAuditError });
    const guard = createGuard(catalogue, { recorder: trail });
    const repo = fakeRepository(guard, sink);
    const d = await repo.findCustomer();
    expect(d).toMatchObject({ allowed: false, reason: 'audit_unavailable', step: 'audit' });
    expect(repo.accesses).toEqual([]);
    expect(trail.stats()).toMatchObject({ recorded: 1, acknowledged: 0, failed: 1, pending: 0 });
    expect(onAuditError).toHaveBeenCalledOnce();
    const error = onAuditError.mock.calls[0]?.[0] as AuditError;
    expect(error).toBeInstanceOf(AuditError);
    expect(error.kind).toBe(behaviour === 'hang' ? 'timeout' : 'sink_failed');
    if (behaviour === 'hang') expect(trail.stats().sinks[0]?.timedOut).toBe(1);
    sink.release();
  });

  it('a slow sink delays the access until the event is acknowledged', async () => {
    const sink = scriptedSink(['slow', 'slow']);
    const guard = createGuard(catalogue, { recorder: createAuditTrail({ catalogue, sinks: [sink] }) });
    const repo = fakeRepository(guard, sink);
    await Promise.all([repo.findCustomer(), repo.findCustomer()]);
    expect(repo.accesses.map((a) => a.acknowledged)).toEqual([true, true]);
  });

  it('the synchronous checkUse denies when a synchronous sink throws', () => {
    const trail = createAuditTrail({ catalogue, sinks: [scriptedSink(['throw'])], onAuditError: quiet });
    const guard = createGuard(catalogue, { recorder: trail });
    expect(guard.checkUse('customer', 'billing')).toMatchObject({ allowed: false, reason: 'audit_unavailable' });
    expect(() => guard.assertUse('customer', 'billing')).not.toThrow(); // the script is spent: the next write succeeds
  });

  it('one failing sink among several fails the event; the others still get it', async () => {
    const good = memorySink();
    const bad = scriptedSink(['reject'], 'bad');
    const trail = createAuditTrail({ catalogue, sinks: [good, bad], onAuditError: quiet });
    const d = await createGuard(catalogue, { recorder: trail }).checkUseAsync('customer', 'billing');
    expect(d.reason).toBe('audit_unavailable');
    expect(good.events()).toHaveLength(1);
    expect(trail.stats().sinks).toEqual([
      { name: 'memory', written: 1, failed: 0, timedOut: 0 },
      { name: 'bad', written: 0, failed: 1, timedOut: 0 },
    ]);
  });

  it('a synchronous sink failure denies the synchronous checkUse even when another sink is asynchronous; the late ack is still tallied', async () => {
    let acknowledge!: () => void;
    const later = {
      name: 'later',
      write: () =>
        new Promise<void>((resolve) => {
          acknowledge = resolve;
        }),
    };
    const onAuditError = vi.fn();
    const trail = createAuditTrail({ catalogue, sinks: [scriptedSink(['throw'], 'broken'), later], onAuditError });
    const guard = createGuard(catalogue, { recorder: trail, onAuditError: quiet });
    expect(guard.checkUse('customer', 'billing')).toMatchObject({ allowed: false, reason: 'audit_unavailable' });
    expect(trail.stats()).toMatchObject({ recorded: 1, acknowledged: 0, failed: 1, pending: 0 });
    expect(onAuditError.mock.calls.map((c) => [(c[0] as AuditError).kind, (c[0] as AuditError).sink])).toEqual([['sink_failed', 'broken']]);
    acknowledge();
    await new Promise(setImmediate); // every queued promise reaction has run
    expect(trail.stats().sinks.map((s) => [s.name, s.written, s.failed])).toEqual([['broken', 0, 1], ['later', 1, 0]]);
    expect(trail.stats()).toMatchObject({ failed: 1, acknowledged: 0 });
  });

  it('a thenable whose then throws is a failed write: counted, reported, denied; one that settles synchronously is counted once', async () => {
    const onAuditError = vi.fn();
    const badThen = { name: 'bad-then', write: () => thenable(() => { throw new Error('then exploded'); }) };
    const trail = createAuditTrail({ catalogue, sinks: [badThen], onAuditError });
    const guard = createGuard(catalogue, { recorder: trail, onAuditError: quiet });
    expect(guard.checkUse('customer', 'billing').reason).toBe('audit_unavailable');
    expect((await guard.checkUseAsync('customer', 'billing')).reason).toBe('audit_unavailable');
    expect(trail.stats()).toMatchObject({ recorded: 2, acknowledged: 0, failed: 2, pending: 0, sinks: [{ name: 'bad-then', written: 0, failed: 2 }] });
    expect(onAuditError.mock.calls.map((c) => (c[0] as AuditError).kind)).toEqual(['sink_failed', 'sink_failed']);
    const eager = { name: 'eager', write: () => thenable((ok) => ok()) };
    const eagerTrail = createAuditTrail({ catalogue, sinks: [eager] });
    expect((await createGuard(catalogue, { recorder: eagerTrail }).checkUseAsync('customer', 'billing')).allowed).toBe(true);
    expect(eagerTrail.stats()).toMatchObject({ recorded: 1, acknowledged: 1, pending: 0 });
  });

  it('a full buffer refuses synchronously: denied, counted as refused', async () => {
    const sink = scriptedSink(() => 'hang');
    const onAuditError = vi.fn();
    const trail = createAuditTrail({ catalogue, sinks: [sink], bufferSize: 2, onAuditError });
    const guard = createGuard(catalogue, { recorder: trail });
    const first = guard.checkUseAsync('customer', 'billing');
    const second = guard.checkUseAsync('customer', 'billing');
    const third = await guard.checkUseAsync('customer', 'billing');
    expect(third.reason).toBe('audit_unavailable');
    expect(guard.checkUse('customer', 'billing').reason).toBe('audit_unavailable');
    expect(trail.stats()).toMatchObject({ recorded: 4, refused: 2, pending: 2 });
    expect((onAuditError.mock.calls[0]?.[0] as AuditError | undefined)?.kind).toBe('buffer_full');
    sink.release();
    expect((await first).allowed && (await second).allowed).toBe(true);
    expect(trail.stats()).toMatchObject({ recorded: 4, acknowledged: 2, refused: 2, pending: 0 });
  });
});

describe('failure policy: best effort', () => {
  it.each<Behaviour>(['throw', 'reject', 'hang'])('a sink that %s lets the use proceed, counted and reported', async (behaviour) => {
    const sink = scriptedSink([behaviour]);
    const onAuditError = vi.fn();
    const trail = createAuditTrail({ catalogue, sinks: [sink], timeoutMs: 20, policy: 'best_effort', onAuditError });
    const guard = createGuard(catalogue, { recorder: trail, auditPolicy: 'best_effort' });
    const repo = fakeRepository(guard, sink);
    expect((await repo.findCustomer()).allowed).toBe(true);
    expect(repo.accesses).toHaveLength(1);
    expect(trail.stats()).toMatchObject({ recorded: 1, failed: 1, pending: 0 });
    expect(onAuditError).toHaveBeenCalledOnce();
    sink.release();
  });

  it('a full buffer drops the event, counts it and reports it; the use proceeds', () => {
    const sink = scriptedSink(() => 'hang');
    const onAuditError = vi.fn();
    const trail = createAuditTrail({ catalogue, sinks: [sink], bufferSize: 1, policy: 'best_effort', onAuditError });
    const guard = createGuard(catalogue, { recorder: trail, auditPolicy: 'best_effort' });
    void guard.checkUseAsync('customer', 'billing');
    expect(guard.checkUse('customer', 'billing').allowed).toBe(true);
    expect(trail.stats()).toMatchObject({ recorded: 2, dropped: 1, pending: 1 });
    expect(onAuditError.mock.calls.map((c) => (c[0] as AuditError).kind)).toEqual(['buffer_full']);
    expect((onAuditError.mock.calls[0]?.[1] as DecisionEvent | undefined)?.seq).toBe(2);
    sink.release();
  });

  it('a best-effort trail absorbs failures, so even a strict guard proceeds (the trail decides what it passes on)', async () => {
    const trail = createAuditTrail({ catalogue, sinks: [scriptedSink(['reject'])], policy: 'best_effort', onAuditError: quiet });
    const d = await createGuard(catalogue, { recorder: trail }).checkUseAsync('customer', 'billing');
    expect(d.allowed).toBe(true);
    expect(trail.stats().failed).toBe(1);
  });
});

describe('flush and close', () => {
  it('flush waits for pending acknowledgements; close refuses new events', async () => {
    const sink = scriptedSink(['slow', 'slow', 'slow']);
    const trail = createAuditTrail({ catalogue, sinks: [sink], onAuditError: quiet });
    const guard = createGuard(catalogue, { recorder: trail });
    void guard.checkUseAsync('customer', 'billing');
    void guard.checkUseAsync('customer', 'billing');
    expect(trail.stats().pending).toBe(2);
    expect(await trail.flush()).toMatchObject({ acknowledged: 2, pending: 0 });
    await trail.close();
    expect(guard.checkUse('customer', 'billing').reason).toBe('audit_unavailable');
    expect(trail.stats()).toMatchObject({ recorded: 3, acknowledged: 2, refused: 1 });
  });

  it('close with a deadline gives up on hung events and counts them as failed', async () => {
    const sink = scriptedSink(() => 'hang');
    const onAuditError = vi.fn();
    const trail = createAuditTrail({ catalogue, sinks: [sink], onAuditError });
    const guard = createGuard(catalogue, { recorder: trail });
    const pending = guard.checkUseAsync('customer', 'billing');
    await expect(trail.close(10)).rejects.toMatchObject({ name: 'AuditError', kind: 'deadline' });
    expect(trail.stats()).toMatchObject({ recorded: 1, failed: 1, pending: 0 });
    expect(onAuditError.mock.calls.map((c) => (c[0] as AuditError).kind)).toEqual(['deadline']);
    sink.release(); // acknowledged too late: still failed, not reported twice
    expect((await pending).reason).toBe('audit_unavailable'); // the trail gave up on it: strict denies
    expect(trail.stats()).toMatchObject({ acknowledged: 0, failed: 1 });
    expect(onAuditError).toHaveBeenCalledOnce();
  });
});

describe('nothing is lost without being counted (property)', () => {
  it('for any mix of sink behaviours and either policy: the counters add up, and strict never touches data unacknowledged', async () => {
    const behaviours = fc.constantFrom<Behaviour>('ok', 'throw', 'reject', 'slow', 'hang');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(behaviours, behaviours), { minLength: 1, maxLength: 12 }),
        fc.constantFrom<'strict' | 'best_effort'>('strict', 'best_effort'),
        fc.integer({ min: 1, max: 4 }),
        async (script, policy, bufferSize) => {
          const a = scriptedSink(script.map(([x]) => x), 'a');
          const b = scriptedSink(script.map(([, y]) => y), 'b');
          const reported: AuditError[] = [];
          const trail = createAuditTrail({ catalogue, sinks: [a, b], timeoutMs: 5, bufferSize, policy, onAuditError: (e) => void reported.push(e) });
          const guard = createGuard(catalogue, { recorder: trail, auditPolicy: policy, onAuditError: quiet });
          const accesses: boolean[] = [];
          // Half the calls concurrently, so the buffer fills.
          const calls = script.map(async (_, i) => {
            if (i % 2 === 1) await Promise.resolve();
            const before = a.seen.length;
            const d = await guard.checkUseAsync('customer', 'billing');
            const event = a.seen[before];
            if (d.allowed && event !== undefined) accesses.push(a.acked.has(event.decisionId) && b.acked.has(event.decisionId));
            return d;
          });
          const decisions = await Promise.all(calls);
          a.release();
          b.release();
          await trail.flush(1000).catch(() => undefined);
          const s = trail.stats();
          expect(invariantHolds(s)).toBe(true);
          expect(s.recorded).toBe(script.length);
          expect(s.failed + s.dropped + s.refused).toBe(reported.length);
          if (policy === 'strict') {
            expect(accesses.every(Boolean)).toBe(true);
            expect(decisions.filter((d) => d.allowed)).toHaveLength(s.acknowledged);
          } else {
            expect(decisions.every((d) => d.allowed)).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
