import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditError, AuditLogError, canonicalJson, chainHash, createAuditTrail, GENESIS_HASH, jsonlSink, verifyAuditLog, type VerifyResult } from '../../src/audit.js';
import { createGuard, defaultCatalogue } from '../../src/index.js';

const catalogue = defaultCatalogue;
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pg-jsonl-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pairs = [
  ['customer', 'billing'],
  ['employee', 'marketing.analytics'],
  ['client', 'client-management'],
  ['applicant', 'recruitment.communication'],
] as const;

async function writeLog(path: string, events: number, mode: 'sync' | 'batched' = 'sync'): Promise<void> {
  const trail = createAuditTrail({ catalogue, sinks: [jsonlSink({ path, mode })], hmacKey: 'k' });
  const guard = createGuard(catalogue, { recorder: trail });
  const calls: Promise<unknown>[] = [];
  for (let i = 0; i < events; i++) {
    const [s, p] = pairs[i % pairs.length] as (typeof pairs)[number];
    calls.push(guard.checkUseAsync(s, p as string, { actor: `user-${i}`, subjectId: `person-${i}` }));
  }
  await Promise.all(calls);
  await trail.close();
}

const broken = (r: VerifyResult) => (r.intact ? undefined : { index: r.broken.index, reason: r.broken.reason });

describe('the JSON Lines sink', () => {
  it('writes one canonical line per event, chained from the genesis hash, and a seal on close', async () => {
    const path = join(dir, 'basic.jsonl');
    await writeLog(path, 3);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    const records = lines.map((l) => JSON.parse(l) as { event?: unknown; seal?: unknown; prev: string; hash: string });
    expect(records[0]?.prev).toBe(GENESIS_HASH);
    records.forEach(({ hash, ...unhashed }, i) => {
      expect(lines[i]).toBe(canonicalJson(records[i]));
      if (i > 0) expect(unhashed.prev).toBe(records[i - 1]?.hash);
      // The hash covers the record as stored, minus the hash itself: the kind of record, its body and prev.
      expect(hash).toBe(createHash('sha256').update(canonicalJson(unhashed)).digest('hex'));
      expect(hash).toBe(chainHash(unhashed.event === undefined ? 'seal' : 'event', unhashed.event ?? unhashed.seal, unhashed.prev));
    });
    expect(records[3]?.seal).toMatchObject({ records: 3 });
    expect(readFileSync(path, 'utf8')).not.toContain('person-');
    expect(verifyAuditLog(path, { requireSeal: true })).toMatchObject({ intact: true, records: 4, events: 3, sealed: true });
  });

  it('batched mode acknowledges after the batch is written, in order', async () => {
    const path = join(dir, 'batched.jsonl');
    await writeLog(path, 500, 'batched');
    const result = verifyAuditLog(path, { requireSeal: true });
    expect(result).toMatchObject({ intact: true, events: 500 });
    const seqs = readFileSync(path, 'utf8').trimEnd().split('\n').slice(0, -1).map((l) => (JSON.parse(l) as { event: { seq: number } }).event.seq);
    expect(seqs).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
  });

  it('a restart continues the chain from the last record, and can require the published head', async () => {
    const path = join(dir, 'restart.jsonl');
    await writeLog(path, 5);
    const head = verifyAuditLog(path).head;
    const sink = jsonlSink({ path, expectedHead: head });
    expect(sink.head()).toEqual({ records: 6, hash: head });
    const trail = createAuditTrail({ catalogue, sinks: [sink] });
    createGuard(catalogue, { recorder: trail }).checkUse('customer', 'billing');
    await trail.close();
    expect(verifyAuditLog(path, { requireSeal: true })).toMatchObject({ intact: true, records: 8, events: 6 });
    expect(() => jsonlSink({ path, expectedHead: head })).toThrow(AuditLogError);
  });

  it('refuses to append to a log that ends in a partial or forged record', async () => {
    const path = join(dir, 'partial.jsonl');
    await writeLog(path, 2);
    appendFileSync(path, '{"event":{"sch');
    expect(() => jsonlSink({ path })).toThrow(/partial record/);
    const forged = join(dir, 'forged.jsonl');
    await writeLog(forged, 2);
    writeFileSync(forged, readFileSync(forged, 'utf8').replace(/"records":2/, '"records":3'));
    expect(() => jsonlSink({ path: forged })).toThrow(/does not verify/);
    const duplicate = join(dir, 'duplicate.jsonl');
    await writeLog(duplicate, 2);
    writeFileSync(duplicate, readFileSync(duplicate, 'utf8').replace(/\{"hash":(.*)\n$/, '{"hash":"x","hash":$1\n')); // not canonical
    expect(() => jsonlSink({ path: duplicate })).toThrow(/does not verify/);
  });

  it('strict trail: a failing file write denies and the sink refuses to go on', async () => {
    const path = join(dir, 'closed.jsonl');
    const sink = jsonlSink({ path });
    await sink.close();
    const trail = createAuditTrail({ catalogue, sinks: [sink], onAuditError: () => {} });
    expect(createGuard(catalogue, { recorder: trail }).checkUse('customer', 'billing').reason).toBe('audit_unavailable');
  });

  it('a second writer on the same file is refused before it writes, so the chain never forks', async () => {
    const path = join(dir, 'two-writers.jsonl');
    const errors: AuditError[] = [];
    const trails = [0, 1].map(() => createAuditTrail({ catalogue, sinks: [jsonlSink({ path })], onAuditError: (e) => void errors.push(e) }));
    const guards = trails.map((trail) => createGuard(catalogue, { recorder: trail }));
    const reasons = [0, 1, 2, 3].map((i) => guards[i % 2]?.checkUse('customer', 'billing').reason);
    expect(reasons).toEqual(['permitted', 'audit_unavailable', 'permitted', 'audit_unavailable']);
    expect(trails.map((t) => [t.stats().acknowledged, t.stats().failed])).toEqual([[2, 0], [0, 2]]);
    expect(errors[0]?.cause).toMatchObject({ message: expect.stringMatching(/another writer/) });
    await trails[0]?.close();
    await trails[1]?.close().catch(() => undefined);
    expect(verifyAuditLog(path, { requireSeal: true })).toMatchObject({ intact: true, events: 2 });
  });

  it('an append by another writer while a batch is being written fails that batch instead of acknowledging a fork', async () => {
    const path = join(dir, 'raced.jsonl');
    const trail = createAuditTrail({ catalogue, sinks: [jsonlSink({ path, mode: 'batched' })], onAuditError: () => {} });
    const decision = createGuard(catalogue, { recorder: trail }).checkUseAsync('customer', 'billing');
    // Runs right after the batch's write is handed to the thread pool (its size check passed), before it is acknowledged.
    setImmediate(() => appendFileSync(path, 'the other writer\n'));
    expect((await decision).reason).toBe('audit_unavailable');
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines.sort()).toEqual(['the other writer', expect.stringMatching(/^\{"event":/)]); // written, and still not acknowledged
    await trail.close().catch(() => undefined);
  });

  it('reports an unreadable or missing file as broken at record 0, never throws', () => {
    expect(broken(verifyAuditLog(join(dir, 'nope.jsonl')))).toEqual({ index: 0, reason: 'unreadable' });
  });
});

describe('tamper evidence on a 1,000-event log', () => {
  let original: string[];
  const N = 1000;
  const path = () => join(dir, 'big.jsonl');
  beforeAll(async () => {
    await writeLog(path(), N);
    original = readFileSync(path(), 'utf8').trimEnd().split('\n');
    expect(original).toHaveLength(N + 1); // events and the seal
  });
  const check = (lines: string[]) => {
    const p = join(dir, 'tampered.jsonl');
    writeFileSync(p, `${lines.join('\n')}\n`);
    return broken(verifyAuditLog(p, { requireSeal: true }));
  };
  const positions = [0, 1, 2, 499, 500, 997, 998, 999];

  it('the untouched log verifies', () => {
    expect(check(original)).toBeUndefined();
  });

  it.each(positions)('editing event %i is detected at its index', (i) => {
    const lines = [...original];
    const record = JSON.parse(lines[i] as string) as { event: { reason: string; allowed: boolean } };
    record.event.allowed = !record.event.allowed;
    lines[i] = JSON.stringify(record);
    expect(check(lines)).toEqual({ index: i, reason: 'hash_mismatch' });
  });

  it.each(positions)('editing event %i and recomputing its hash is detected at the next record', (i) => {
    const lines = [...original];
    const record = JSON.parse(lines[i] as string) as { event: { actor: string }; prev: string; hash: string };
    record.event.actor = 'someone-else';
    record.hash = chainHash('event', record.event, record.prev);
    lines[i] = JSON.stringify(record);
    expect(check(lines)).toEqual({ index: i + 1, reason: 'prev_mismatch' });
  });

  it.each(positions)('deleting event %i is detected at its index', (i) => {
    const lines = [...original];
    lines.splice(i, 1);
    expect(check(lines)).toEqual({ index: i, reason: 'prev_mismatch' });
  });

  it.each(positions)('inserting a replayed event at %i is detected at its index', (i) => {
    const lines = [...original];
    lines.splice(i, 0, original[(i + 500) % N] as string);
    expect(check(lines)).toEqual({ index: i, reason: 'prev_mismatch' });
  });

  it.each(positions)('inserting a blank or foreign line at %i is detected at its index', (i) => {
    const lines = [...original];
    lines.splice(i, 0, i % 2 === 0 ? '' : '{"event":{"schema":"purpose-guard.decision/1"},"hash":"00","prev":"00"}');
    expect(check(lines)?.index).toBe(i);
  });

  it.each(positions)('swapping events %i and %i+1 is detected at the first of them', (i) => {
    const lines = [...original];
    [lines[i], lines[i + 1]] = [lines[i + 1] as string, lines[i] as string];
    expect(check(lines)).toEqual({ index: i, reason: 'prev_mismatch' });
  });

  it.each(positions)('relabelling event %i as a seal (and cutting what follows) is detected at its index', (i) => {
    const lines = original.slice(0, i + 1);
    const { event, hash, prev } = JSON.parse(lines[i] as string) as { event: unknown; hash: string; prev: string };
    lines[i] = canonicalJson({ hash, prev, seal: event });
    expect(check(lines)).toEqual({ index: i, reason: 'malformed' });
  });

  it('a seal must be a seal: exactly a UTC time and a record count, hashed as a seal', () => {
    const { hash, prev, seal } = JSON.parse(original[N] as string) as { hash: string; prev: string; seal: { at: string; records: number } };
    const resealed = (body: unknown) => check([...original.slice(0, N), canonicalJson({ hash: chainHash('seal', body, prev), prev, seal: body })]);
    expect(resealed(seal)).toBeUndefined();
    for (const body of [{ ...seal, records: -1 }, { ...seal, records: 1.5 }, { ...seal, at: 'yesterday' }, { ...seal, note: 'x' }, { at: seal.at }]) {
      expect(resealed(body)).toEqual({ index: N, reason: 'malformed' });
    }
    expect(chainHash('seal', seal, prev)).toBe(hash);
    expect(chainHash('event', seal, prev)).not.toBe(hash);
  });

  it.each(positions)('a forged "event" member in front of the real one in record %i is detected at its index', (i) => {
    const lines = [...original];
    const { event } = JSON.parse(lines[i] as string) as { event: Record<string, unknown> };
    const forged = canonicalJson({ ...event, allowed: !event['allowed'], purpose: 'billing' });
    lines[i] = `{"event":${forged},${(lines[i] as string).slice(1)}`; // JSON.parse keeps the last member; other readers the first
    expect(check(lines)).toEqual({ index: i, reason: 'not_canonical' });
  });

  it.each(positions)('record %i stored with whitespace or a different escape is detected at its index', (i) => {
    const lines = [...original];
    lines[i] = i % 2 === 0 ? (lines[i] as string).replace('":', '": ') : (lines[i] as string).replace('"schema"', '"\\u0073chema"');
    expect(check(lines)).toEqual({ index: i, reason: 'not_canonical' });
  });

  it('cutting the seal off is detected with requireSeal, and any cut with the published head', () => {
    expect(check(original.slice(0, N))).toEqual({ index: N, reason: 'unsealed' });
    const p = join(dir, 'cut.jsonl');
    writeFileSync(p, `${original.slice(0, 700).join('\n')}\n`);
    const head = (JSON.parse(original[N] as string) as { hash: string }).hash;
    expect(verifyAuditLog(p).intact).toBe(true); // a live, unsealed log
    expect(broken(verifyAuditLog(p, { expectedHead: head }))).toEqual({ index: 699, reason: 'head_mismatch' });
  });

  it('a truncated last line (interrupted write) is reported at its index', () => {
    const p = join(dir, 'torn.jsonl');
    writeFileSync(p, `${original.slice(0, 10).join('\n')}\n${(original[10] as string).slice(0, 40)}`);
    expect(broken(verifyAuditLog(p))).toEqual({ index: 10, reason: 'malformed' });
  });
});
