/**
 * `npm run bench` (audit section): how many decision events per second the
 * audit trail records, measured in the same run as an unaudited `checkUse`
 * (the baseline) so the figures read as ratios, not absolute claims.
 *
 *   - checkUse, no recorder                          the baseline
 *   - in-memory sink                                 event building only (UUID, timestamp, catalogue hash ref)
 *   - hash-chained JSONL, sync (write(2) per event)  what strict + sync `checkUse` pays
 *   - hash-chained JSONL, batched (checkUseAsync)    one write per batch, acknowledged after it
 *   - hash-chained JSONL, batched + fsync per batch  durable against power loss
 *
 * Files go to a temporary directory, rotated every ~50k events, removed at the end.
 * Options: `--rounds N` (default 9).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditTrail, jsonlSink, memorySink, verifyAuditLog, type AuditSink, type AuditTrail } from '../src/audit.js';
import { createGuard, defaultCatalogue } from '../src/index.js';
import { compare, environment, report, sunkValues, table } from './harness.js';

const rounds = (() => {
  const i = process.argv.indexOf('--rounds');
  const n = i >= 0 ? Number(process.argv[i + 1]) : 9;
  return Number.isFinite(n) && n > 0 ? n : 9;
})();

const dir = mkdtempSync(join(tmpdir(), 'pg-audit-bench-'));
const BATCH = 1000;
const catalogue = defaultCatalogue;
const pairs: [string, string][] = [
  ['customer', 'billing'],
  ['employee', 'marketing.analytics'],
  ['client', 'client-management'],
  ['customer', 'marketing.notifications'],
];
const context = { actor: 'svc-billing', subjectId: 'customer-4711' };
type Check = (s: string, p: string, ctx?: unknown) => { readonly allowed: boolean };
type CheckAsync = (s: string, p: string, ctx?: unknown) => Promise<{ readonly allowed: boolean }>;

/** A guard over a trail whose sink is replaced every ~50k events (a new file), so the disk does not fill. */
function rotating(makeSink: (n: number) => AuditSink) {
  let files = 0;
  let written = 0;
  let trail: AuditTrail;
  let check: Check;
  let checkAsync: CheckAsync;
  const open = () => {
    trail = createAuditTrail({ catalogue, sinks: [makeSink(files++)], hmacKey: 'bench-key', bufferSize: 100_000 });
    const guard = createGuard(catalogue, { recorder: trail });
    check = guard.checkUse as unknown as Check;
    checkAsync = guard.checkUseAsync as unknown as CheckAsync;
  };
  open();
  const rotate = async () => {
    written += BATCH;
    if (written >= 50_000) {
      written = 0;
      await trail.close(60_000);
      open();
    }
  };
  return {
    sync: async () => {
      let allowed = 0;
      for (let i = 0; i < BATCH; i++) {
        const [s, p] = pairs[i & 3] as [string, string];
        if (check(s, p, context).allowed) allowed++;
      }
      await rotate();
      return allowed;
    },
    async: async () => {
      const calls: Promise<{ readonly allowed: boolean }>[] = [];
      for (let i = 0; i < BATCH; i++) {
        const [s, p] = pairs[i & 3] as [string, string];
        calls.push(checkAsync(s, p, context));
      }
      let allowed = 0;
      for (const d of await Promise.all(calls)) if (d.allowed) allowed++;
      await rotate();
      return allowed;
    },
    close: () => trail.close(60_000),
    files: () => files,
  };
}

const plainGuard = createGuard(catalogue);
const plainCheck = plainGuard.checkUse as unknown as Check;
const memory = memorySink();
const memoryGuard = createGuard(catalogue, { recorder: createAuditTrail({ catalogue, sinks: [memory], hmacKey: 'bench-key' }) });
const memoryCheck = memoryGuard.checkUse as unknown as Check;
const syncFile = rotating((n) => jsonlSink({ path: join(dir, `sync-${n}.jsonl`) }));
const batchedFile = rotating((n) => jsonlSink({ path: join(dir, `batched-${n}.jsonl`), mode: 'batched' }));
const durableFile = rotating((n) => jsonlSink({ path: join(dir, `fsync-${n}.jsonl`), mode: 'batched', fsync: true }));

const results = await compare(
  [
    {
      name: 'checkUse, no recorder',
      ops: BATCH,
      fn: () => {
        let allowed = 0;
        for (let i = 0; i < BATCH; i++) {
          const [s, p] = pairs[i & 3] as [string, string];
          if (plainCheck(s, p, context).allowed) allowed++;
        }
        return allowed;
      },
    },
    {
      name: 'in-memory sink',
      ops: BATCH,
      fn: () => {
        let allowed = 0;
        for (let i = 0; i < BATCH; i++) {
          const [s, p] = pairs[i & 3] as [string, string];
          if (memoryCheck(s, p, context).allowed) allowed++;
        }
        memory.clear();
        return allowed;
      },
    },
    { name: 'JSONL chained, sync', ops: BATCH, fn: syncFile.sync },
    { name: 'JSONL chained, batched', ops: BATCH, fn: batchedFile.async },
    { name: 'JSONL chained, batched+fsync', ops: BATCH, fn: durableFile.async },
  ],
  { rounds },
);

await Promise.all([syncFile.close(), batchedFile.close(), durableFile.close()]);
const check = verifyAuditLog(join(dir, 'sync-0.jsonl'), { requireSeal: true });

console.log(`\nAudit trail throughput (${environment()}; ${BATCH} decisions per batch, 1 in 4 denied; HMAC of subjectId on)`);
console.log(report(results, 'checkUse, no recorder'));
console.log('');
console.log(
  table(
    ['case', 'events/s'],
    results.slice(1).map((r) => [r.name, Math.round(1e9 / r.nsPerOp).toLocaleString('en-US')]),
  ),
);
console.log(`\n(first sync log re-verified: ${check.intact ? `intact, ${check.events} events` : `BROKEN at ${check.broken.index}`}; sunk ${sunkValues()} batches)`);
rmSync(dir, { recursive: true, force: true });
if (!check.intact) process.exitCode = 1;
