import type { AddressInfo } from 'node:net';
import { createGuard, defaultCatalogue, type DefaultCatalogue, type Guard } from '../../src/index.js';
import { createServiceApp } from './app.js';
import { DEFAULT_DATABASE_PATH, openServiceDatabase } from './database.js';
import { applicantFields, clientFields, createRepositories, customerFields, employeeFields, shareholderFields } from './repositories.js';

/** Options of `runServiceDemo`. */
export interface ServiceDemoOptions {
  /** The guard the service uses (pass one with an audit trail to record the session). Default: a plain guard over `defaultCatalogue`. */
  readonly guard?: Guard<DefaultCatalogue> | undefined;
  /** The SQLite file, created afresh. Default `examples/.data/service.db` (gitignored). */
  readonly databasePath?: string | undefined;
  /** Where lines go; `false` prints nothing. Default `console.log`. */
  readonly log?: ((line: string) => void) | false | undefined;
  /** ANSI colours. Default: when stdout is a terminal and NO_COLOR is unset. */
  readonly color?: boolean | undefined;
}

/** What one scripted request did. */
export interface ServiceDemoStep {
  readonly label: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly outcome: 'allowed' | 'minimised' | 'denied' | 'done';
  /** For denials: the decision's reason. */
  readonly reason?: string | undefined;
  /** For allowed reads: the fields returned, and the mapped fields withheld. */
  readonly fields?: readonly string[] | undefined;
  readonly withheld?: readonly string[] | undefined;
  /** SQL statements the request executed. */
  readonly queries: number;
  /** The tables they ran on, in order. */
  readonly tables: readonly string[];
}

/** The demo's result. */
export interface ServiceDemoSummary {
  readonly databasePath: string;
  readonly steps: readonly ServiceDemoStep[];
  readonly allowed: number;
  readonly minimised: number;
  readonly denied: number;
  readonly queries: number;
}

interface Script {
  readonly label: string;
  readonly method?: 'GET' | 'POST';
  readonly path: string;
  readonly actor: string;
  readonly fields?: Record<string, unknown> | undefined;
}

const SCRIPT: readonly Script[] = [
  { label: 'Support agent opens a customer record', path: '/support/customers/cus-001', actor: 'agent-7', fields: customerFields },
  { label: 'Billing reads the same customer', path: '/billing/customers/cus-001', actor: 'billing-svc', fields: customerFields },
  { label: 'Marketing e-mail to a customer who opted in', path: '/marketing/customers/cus-001/contact', actor: 'campaign-svc', fields: { name: 1, email: 1 } },
  { label: 'Marketing e-mail to a customer who never opted in', path: '/marketing/customers/cus-002/contact', actor: 'campaign-svc' },
  { label: 'Marketing e-mail to a customer who withdrew in May', path: '/marketing/customers/cus-003/contact', actor: 'campaign-svc' },
  { label: 'Aiko withdraws her marketing consent (mid-session)', method: 'POST', path: '/customers/cus-001/consents/marketing.notifications/withdraw', actor: 'cus-001' },
  { label: 'The same marketing request, a moment later', path: '/marketing/customers/cus-001/contact', actor: 'campaign-svc' },
  { label: 'A legacy route that declares no purpose', path: '/legacy/customers/cus-001', actor: 'cron' },
  { label: 'Account manager reads a client contact', path: '/accounts/clients/cli-001', actor: 'sales-3', fields: clientFields },
  { label: 'Share registry reads a shareholder', path: '/registry/shareholders/shr-001', actor: 'registry', fields: shareholderFields },
  { label: 'Recruiter contacts an applicant', path: '/recruiting/applicants/app-001', actor: 'hr-2', fields: applicantFields },
  { label: 'Payroll reads an employee', path: '/hr/employees/emp-001', actor: 'payroll', fields: employeeFields },
  { label: 'Occupational health reads an employee without consent', path: '/health/employees/emp-001', actor: 'nurse-1' },
  { label: 'Marketing analytics on employee data', path: '/analytics/employees/emp-002', actor: 'growth-team' },
];

/**
 * Starts the example backend over a fresh SQLite database on a loopback port,
 * sends the scripted requests (allowed, minimised, denied, a consent withdrawn
 * mid-session), prints what happened, stops the server and returns a summary.
 *
 * @example
 * const summary = await runServiceDemo({ log: false });
 * summary.denied; // 5
 */
export async function runServiceDemo(options: ServiceDemoOptions = {}): Promise<ServiceDemoSummary> {
  const log = options.log === false ? () => {} : (options.log ?? console.log);
  const color = options.color ?? (process.stdout.isTTY === true && process.env['NO_COLOR'] === undefined);
  const paint = (code: number, text: string): string => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const guard = options.guard ?? createGuard(defaultCatalogue);
  const database = openServiceDatabase(options.databasePath ?? DEFAULT_DATABASE_PATH);
  const app = createServiceApp(createRepositories(database.db, guard));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const steps: ServiceDemoStep[] = [];
  log(paint(1, `Example service: Express 5 + better-sqlite3 (${database.path}), listening on ${base}`));
  try {
    for (const s of SCRIPT) {
      const method = s.method ?? 'GET';
      const before = database.log.length;
      const res = await fetch(base + s.path, { method, headers: { 'x-actor': s.actor } });
      const text = await res.text();
      const body: unknown = text === '' ? undefined : JSON.parse(text);
      const step = describe(s, method, res.status, body, database.log.slice(before));
      steps.push(step);
      print(step, body, log, paint);
    }
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    database.close();
  }
  const count = (o: ServiceDemoStep['outcome']): number => steps.filter((s) => s.outcome === o).length;
  const summary: ServiceDemoSummary = {
    databasePath: database.path,
    steps,
    allowed: count('allowed'),
    minimised: count('minimised'),
    denied: count('denied'),
    queries: steps.reduce((n, s) => n + s.queries, 0),
  };
  const leaked = steps.filter((s) => s.outcome === 'denied' && s.tables.some((t) => t !== 'consents')).length;
  log(`${summary.allowed + summary.minimised} allowed (${summary.minimised} minimised), ${summary.denied} denied; ` +
    `${summary.queries} SQL statements; denied requests read personal data ${leaked} times (only the consent ledger, to decide).`);
  return summary;
}

function describe(s: Script, method: string, status: number, body: unknown, tables: readonly string[]): ServiceDemoStep {
  const base = { label: s.label, method, path: s.path, status, queries: tables.length, tables };
  if (status >= 400) return { ...base, outcome: 'denied', reason: (body as { reason?: string } | undefined)?.reason };
  if (body === undefined || s.fields === undefined) return { ...base, outcome: 'done' };
  const fields = Object.keys(body as object);
  const withheld = Object.keys(s.fields).filter((f) => !fields.includes(f));
  return { ...base, outcome: withheld.length > 0 ? 'minimised' : 'allowed', fields, withheld };
}

function print(step: ServiceDemoStep, body: unknown, log: (line: string) => void, paint: (code: number, text: string) => string): void {
  const mark = step.outcome === 'denied' ? paint(31, `✖ ${step.status}`) : paint(32, `✔ ${step.status}`);
  log(`${mark} ${step.label}`);
  const sql = step.queries === 0 ? 'no SQL' : `SQL: ${step.tables.join(', ')}`;
  log(paint(2, `      ${step.method} ${step.path} · ${sql}`));
  if (step.outcome === 'denied') {
    const detail = (body as { detail?: string } | undefined)?.detail ?? '';
    log(`      ${paint(33, step.reason ?? 'denied')}: ${detail}`);
  } else if (step.fields !== undefined) {
    log(`      received: ${step.fields.join(', ')}`);
    if (step.withheld !== undefined && step.withheld.length > 0) log(`      ${paint(36, `withheld by minimisation: ${step.withheld.join(', ')}`)}`);
  }
}
