/**
 * The audit trail of a demo session: every decision the session's guards take
 * goes to an in-memory sink (to print) and a hash-chained JSON Lines file (to
 * verify), and at the end the trail is printed, verified, and shown to catch a
 * forged record.
 *
 *   const audit = startSessionAudit();
 *   const guard = createGuard(defaultCatalogue, { recorder: audit.trail });
 *   ... the session ...
 *   const intact = await audit.finish();
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAuditTrail, jsonlSink, memorySink, verifyAuditLog, type AuditTrail, type DecisionEvent } from '../src/audit.js';
import { createGuard, defaultCatalogue, type Catalogue } from '../src/index.js';
import { heading } from './print.js';

/** A session's audit trail and how to close it. */
export interface SessionAudit {
  /** Give it to `createGuard(..., { recorder })` (one trail may serve several guards of the same catalogue). */
  readonly trail: AuditTrail;
  /** The hash-chained log file. */
  readonly logPath: string;
  /** The events recorded so far. */
  events(): readonly DecisionEvent[];
  /** Closes the trail, prints it, verifies the log, and shows a tampered copy failing. Resolves to whether the log is intact. */
  finish(): Promise<boolean>;
}

/**
 * Starts the audit trail of a demo session. The log is written under
 * `examples/.data/` (git-ignored) and replaced on each run.
 *
 * @example
 * const audit = startSessionAudit();
 * createGuard(defaultCatalogue, { recorder: audit.trail }).checkUse('customer', 'billing');
 * await audit.finish();
 */
export function startSessionAudit(catalogue: Catalogue = defaultCatalogue, options: { readonly dir?: string | undefined } = {}): SessionAudit {
  const dir = options.dir ?? join(dirname(fileURLToPath(import.meta.url)), '.data');
  mkdirSync(dir, { recursive: true });
  const logPath = join(dir, 'audit.jsonl');
  rmSync(logPath, { force: true });
  const memory = memorySink();
  // A demo key: in production, load it from a secret store and name it with hmacKeyId for rotation.
  const trail = createAuditTrail({ catalogue, sinks: [memory, jsonlSink({ path: logPath })], hmacKey: 'demo-only-key', hmacKeyId: 'demo-1' });
  return {
    trail,
    logPath,
    events: () => memory.events(),
    async finish() {
      const stats = await trail.close();
      heading(`Audit trail of this session (${stats.acknowledged} of ${stats.recorded} decisions recorded, ${stats.failed + stats.dropped + stats.refused} lost)`);
      for (const e of memory.events()) console.log(formatEvent(e));
      return verifyAndTamper(logPath);
    },
  };
}

/** One event on one line: seq, time, verdict, subject -> purpose, reason, where it came from. */
export function formatEvent(e: DecisionEvent): string {
  const verdict = e.allowed ? 'allow ' : e.proceeded ? 'WOULD-DENY' : 'DENY  ';
  const where = [e.via, e.operation, e.method].filter((x) => x !== undefined).join(' ');
  const who = e.subjectRef === undefined ? '' : ` person#${e.subjectRef.slice(0, 8)}`;
  return `#${String(e.seq).padStart(3)} ${e.at.slice(11, 23)} ${verdict.padEnd(10)} ${e.subject} -> ${e.purpose} [${e.reason}]${who}${where ? ` (${where})` : ''}`;
}

function verifyAndTamper(logPath: string): boolean {
  const result = verifyAuditLog(logPath, { requireSeal: true });
  if (result.intact) console.log(`\nverifyAuditLog: intact, ${result.records} records (${result.events} events, sealed); head ${result.head.slice(0, 16)}…`);
  else console.log(`\nverifyAuditLog: BROKEN at record ${result.broken.index}: ${result.broken.message}`);

  // What an auditor sees if someone rewrites history: flip one denied decision to allowed in a copy.
  const copy = `${logPath}.tampered`;
  copyFileSync(logPath, copy);
  const lines = readFileSync(copy, 'utf8').split('\n');
  const target = lines.findIndex((l) => l.includes('"allowed":false'));
  if (target >= 0) {
    lines[target] = (lines[target] as string).replace('"allowed":false', '"allowed":true');
    writeFileSync(copy, lines.join('\n'));
    const forged = verifyAuditLog(copy);
    console.log(`A copy with record ${target} flipped from denied to allowed: ${forged.intact ? 'NOT DETECTED' : `detected at record ${forged.broken.index} (${forged.broken.reason})`}`);
  }
  rmSync(copy, { force: true });
  console.log(`(check it yourself: npm run build && node dist/cli.js audit verify ${logPath} --require-seal)`);
  return result.intact;
}

/**
 * A self-contained tour: an enforcing and a monitor-mode guard share one trail.
 *
 * @example
 * await runAuditDemo();
 */
export async function runAuditDemo(): Promise<boolean> {
  const audit = startSessionAudit();
  const guard = createGuard(defaultCatalogue, { recorder: audit.trail });
  const monitor = createGuard(defaultCatalogue, { recorder: audit.trail, mode: 'monitor' });
  guard.checkUse('customer', 'billing', { actor: 'billing-service', subjectId: 'customer-4711' });
  await guard.checkUseAsync('customer', 'customer-support', { actor: 'agent-7', subjectId: 'customer-4711' }, { operation: 'read', method: 'Customers.findById' });
  guard.checkUse('employee', 'marketing.analytics' as string, { actor: 'growth-team' });
  monitor.checkUse('customer', 'marketing.notifications', { actor: 'newsletter-job', subjectId: 'customer-4711' });
  return audit.finish();
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = (await runAuditDemo()) ? 0 : 1;
}
