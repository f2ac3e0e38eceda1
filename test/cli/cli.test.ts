import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditTrail, jsonlSink } from '../../src/audit.js';
import { sqliteSink } from '../../src/audit-sqlite.js';
import { createGuard, defaultCatalogue } from '../../src/index.js';
import { RECORDS_CSV_COLUMNS } from '../../src/report/index.js';
import { builtCli } from './build-cli.js';

let cli: string;
let dir: string;

beforeAll(async () => {
  cli = await builtCli();
  dir = mkdtempSync(join(tmpdir(), 'pg-cli-'));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built binary as a user would: `node cli.js ...`, in a neutral working directory. */
function run(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A usage or input error as the CLI must report it: exit 2, nothing on stdout, one line on stderr (no stack trace). */
function expectOneSentence(r: Run, ...parts: string[]): void {
  expect({ code: r.code, stdout: r.stdout, lines: r.stderr.trimEnd().split('\n').length }, r.stderr).toEqual({ code: 2, stdout: '', lines: 1 });
  expect(r.stderr).not.toMatch(/\bat .*:\d+:\d+/);
  for (const part of parts) expect(r.stderr).toContain(part);
}

const file = (name: string, content: string | Uint8Array): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

const seed = readFileSync(new URL('../fixtures/privacy-policy.txt', import.meta.url), 'utf8');
const tiny = {
  version: '7',
  controller: { name: 'Tiny Ltd.' },
  dataCategories: { contact: { title: 'Contact' } },
  purposes: { billing: { title: 'Billing', basis: 'contract', dataCategories: ['contact'] }, news: { title: 'News', requiresConsent: true } },
  subjects: { member: { title: 'members', purposes: { billing: 'To bill members', news: 'To send news' } } },
};

describe('purpose-guard (built binary)', () => {
  it('starts with a shebang, so it runs as an npm bin', () => {
    expect(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  describe('help and usage errors', () => {
    it('prints the command list for --help (exit 0) and with no command (stderr, exit 2)', async () => {
      const help = await run('--help');
      expect(help.code).toBe(0);
      for (const c of ['check', 'validate', 'report', 'notice', 'audit verify']) expect(help.stdout).toContain(c);
      const none = await run();
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('Usage: purpose-guard <command>');
    });

    it.each(['check', 'validate', 'report', 'notice', 'audit'])('prints help for %s --help', async (command) => {
      const r = await run(command, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: purpose-guard ${command}`);
    });

    it('also for audit verify --help', async () => {
      const r = await run('audit', 'verify', '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('--require-seal');
    });

    it('rejects an unknown command, an unknown option and a missing argument with exit 2', async () => {
      const unknown = await run('chek', 'customer', 'billing');
      expect(unknown).toMatchObject({ code: 2, stdout: '' });
      expect(unknown.stderr).toContain('unknown command "chek"');
      const option = await run('check', 'customer', 'billing', '--catalog', 'x.json');
      expect(option.code).toBe(2);
      expect(option.stderr).toContain("Unknown option '--catalog'");
      const missing = await run('check', 'customer');
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('check needs <subject> and <purpose>');
      expect((await run('audit', 'erase', 'x')).stderr).toContain('unknown audit command "erase"');
      expect((await run('report', '--format', 'pdf')).stderr).toContain('unknown --format "pdf"');
    });
  });

  describe('check', () => {
    it('prints an allow and exits 0', async () => {
      const r = await run('check', 'customer', 'billing');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('ALLOWED  customer -> billing  [permitted]');
      expect(r.stdout).toContain('rule:    subjects.customer.purposes.billing');
      expect(r.stdout).toContain('basis:   contract');
    });

    it('prints a deny with its reason and exits 1; unknown ids are denies too', async () => {
      const r = await run('check', 'employee', 'marketing.analytics');
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('DENIED  employee -> marketing.analytics  [purpose_not_permitted]');
      expect((await run('check', 'Customer', 'billing')).code).toBe(1);
    });

    it('reads a context file, validated against the catalogue', async () => {
      const ctx = file('ctx.json', JSON.stringify({ now: '2026-03-01T00:00:00Z', consents: [{ purpose: 'marketing.notifications', grantedAt: '2026-01-01T00:00:00+09:00', id: 'c-1' }] }));
      const allowed = await run('check', 'customer', 'marketing.notifications', '--context', ctx, '--json');
      expect(allowed.code).toBe(0);
      expect(JSON.parse(allowed.stdout)).toMatchObject({ allowed: true, reason: 'permitted', consentId: 'c-1' });
      const none = await run('check', 'customer', 'marketing.notifications', '--json');
      expect(none.code).toBe(1);
      expect(JSON.parse(none.stdout)).toMatchObject({ allowed: false, reason: 'consent_required' });
    });

    it('rejects an invalid context file naming the field (exit 2)', async () => {
      const bad = file('bad-ctx.json', JSON.stringify({ now: '2026-03-01', consents: [{ purpose: 'nope', grantedAt: '2026-01-01T00:00:00Z' }], extra: 1 }));
      const r = await run('check', 'customer', 'billing', '--context', bad);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('invalid context');
      expect(r.stderr).toContain('now');
      expect(r.stderr).toContain('consents[0].purpose');
      expect(r.stderr).toContain('extra');
    });

    it('uses a catalogue file', async () => {
      const c = file('tiny.json', JSON.stringify(tiny));
      expect((await run('check', 'member', 'billing', '--catalogue', c)).code).toBe(0);
      expect((await run('check', 'customer', 'billing', '--catalogue', c)).code).toBe(1);
    });

    it('reports a missing file and bad JSON clearly (exit 2)', async () => {
      const missing = await run('check', 'customer', 'billing', '--context', 'nowhere.json');
      expect(missing).toMatchObject({ code: 2, stdout: '' });
      expect(missing.stderr).toContain('context file not found: nowhere.json');
      const broken = await run('check', 'customer', 'billing', '--catalogue', file('broken.json', '{"version": '));
      expect(broken.code).toBe(2);
      expect(broken.stderr).toMatch(/catalogue file .*broken\.json is not valid JSON/);
    });
  });

  describe('validate', () => {
    it('accepts a valid catalogue (exit 0)', async () => {
      const r = await run('validate', file('ok.json', JSON.stringify(tiny)));
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('valid catalogue, version 7: 1 subject categories, 2 purposes, 1 data categories');
    });

    it('lists every problem with its path (exit 2)', async () => {
      const bad = {
        ...tiny,
        purposes: { ...tiny.purposes, 'x.y': { title: 'Orphan' }, Bad: { title: 'Upper' } },
        subjects: { member: { ...tiny.subjects.member, purposes: { ...tiny.subjects.member.purposes, ghost: 'No such purpose' } }, extra: 1 },
      };
      const r = await run('validate', file('bad.json', JSON.stringify(bad)));
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('invalid catalogue');
      expect(r.stderr).toContain('purposes.Bad');
      expect(r.stderr).toContain('subjects.extra');
      const json = await run('validate', join(dir, 'bad.json'), '--json');
      expect(json.code).toBe(2);
      const issues = (JSON.parse(json.stdout) as { issues: { at: string; code: string }[] }).issues;
      expect(issues.map((i) => i.at)).toEqual(['purposes.Bad', 'subjects.extra']);
      // Cross-reference problems (checked once the shape is right) are all listed too.
      const refs = { ...tiny, purposes: { ...tiny.purposes, 'x.y': { title: 'Orphan' } }, subjects: { member: { ...tiny.subjects.member, purposes: { ...tiny.subjects.member.purposes, ghost: 'No such purpose' } } } };
      const r2 = await run('validate', file('refs.json', JSON.stringify(refs)));
      expect(r2.code).toBe(2);
      expect(r2.stderr).toContain('invalid catalogue (2 problems)');
      expect(r2.stderr).toContain('purposes["x.y"]: parent purpose "x" of "x.y" is not declared [undeclared_parent]');
      expect(r2.stderr).toContain('subjects.member.purposes.ghost: purpose "ghost" is not declared in purposes [unknown_purpose]');
    });

    it('reports a missing file and bad JSON (exit 2)', async () => {
      expect((await run('validate', 'missing.json')).stderr).toContain('catalogue file not found: missing.json');
      const r = await run('validate', file('trailing.json', '{"a": 1,}'));
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('is not valid JSON');
    });
  });

  describe('report and notice', () => {
    it('prints the records of processing as Markdown by default, and as JSON and CSV', async () => {
      const md = await run('report');
      expect(md.code).toBe(0);
      expect(md.stdout).toContain('# Records of processing activities');
      const json = JSON.parse((await run('report', '--format', 'json')).stdout) as { subjects: { id: string }[] };
      expect(json.subjects.map((s) => s.id)).toEqual(['customer', 'client', 'shareholder', 'applicant', 'employee']);
      const csv = (await run('report', '--format', 'csv', '--catalogue', file('tiny2.json', JSON.stringify(tiny)))).stdout;
      expect(csv.split('\r\n')[0]).toBe(RECORDS_CSV_COLUMNS.join(','));
      expect(csv.split('\r\n').filter(Boolean)).toHaveLength(3);
    });

    it('prints the privacy notice: the seed text for the default catalogue', async () => {
      const r = await run('notice');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${seed}\n`);
      const custom = await run('notice', '--catalogue', file('tiny3.json', JSON.stringify(tiny)));
      expect(custom.stdout).toContain('(1) Personal information on members\n- ・To bill members\n- ・To send news\n');
    });

    it('refuses an invalid catalogue with its problems (exit 2)', async () => {
      const r = await run('notice', '--catalogue', file('bad2.json', JSON.stringify({ version: 1 })));
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('invalid catalogue');
      expect(r.stderr).toContain('controller');
    });
  });

  describe('audit verify', () => {
    let log: string;
    let db: string;
    beforeAll(async () => {
      log = join(dir, 'audit.jsonl');
      db = join(dir, 'audit.db');
      const sqlite = sqliteSink({ database: db });
      const trail = createAuditTrail({ catalogue: defaultCatalogue, sinks: [jsonlSink({ path: log }), sqlite] });
      const guard = createGuard(defaultCatalogue, { recorder: trail });
      for (let i = 0; i < 20; i++) guard.checkUse(i % 2 === 0 ? 'customer' : 'employee', 'billing' as string);
      await trail.close();
    });

    it('exits 0 for an intact JSON Lines log and prints its head', async () => {
      const r = await run('audit', 'verify', log, '--require-seal');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('intact: 21 records (20 events), sealed');
      expect(r.stdout).toMatch(/head: [0-9a-f]{64}/);
    });

    it('exits 1 with the index of the first broken record', async () => {
      const lines = readFileSync(log, 'utf8').split('\n');
      lines.splice(7, 1);
      const r = await run('audit', 'verify', file('cut.jsonl', lines.join('\n')), '--json');
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({ intact: false, broken: { index: 7, reason: 'prev_mismatch' } });
      const text = await run('audit', 'verify', join(dir, 'cut.jsonl'));
      expect(text.stdout).toContain('BROKEN at record 7');
    });

    it('checks the expected head', async () => {
      const wrong = await run('audit', 'verify', log, '--expected-head', 'a'.repeat(64));
      expect(wrong.code).toBe(1);
      expect(wrong.stdout).toContain('head_mismatch');
      expect((await run('audit', 'verify', log, '--expected-head', 'xyz')).code).toBe(2);
    });

    it('detects an SQLite database and verifies its table', async () => {
      expect((await run('audit', 'verify', db, '--require-seal')).stdout).toContain('intact: 21 records (20 events), sealed');
      const handle = new Database(db);
      handle.prepare("UPDATE purpose_guard_audit SET body = replace(body, 'employee', 'customer') WHERE idx = 3").run();
      handle.close();
      const r = await run('audit', 'verify', db, '--json');
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({ broken: { index: 3 } });
    });

    it('a missing log is a usage error (exit 2), not a broken one', async () => {
      const r = await run('audit', 'verify', 'gone.jsonl');
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('audit log file not found: gone.jsonl');
    });
  });

  describe('files that are not what they should be', () => {
    const catalogueText = (name: string) => `{"version":"1","controller":{"name":"${name}"},"dataCategories":{},"purposes":{"billing":{"title":"Billing","basis":"contract"}},"subjects":{"customer":{"title":"Customers","purposes":{"billing":"To bill"}}}}`;

    it('refuses a catalogue that is not UTF-8 (Shift_JIS, UTF-16) naming the file, instead of reading it with replacement characters', async () => {
      const [head, tail] = catalogueText('@').split('@') as [string, string];
      // 日本株式会社 in Shift_JIS: bytes that are not UTF-8.
      const sjis = file('sjis.json', Buffer.concat([Buffer.from(head), Buffer.from([0x93, 0xfa, 0x96, 0x7b, 0x8a, 0x94, 0x8e, 0xae, 0x89, 0xef, 0x8e, 0xd0]), Buffer.from(tail)]));
      for (const args of [['validate', sjis], ['report', '--catalogue', sjis], ['notice', '--catalogue', sjis], ['check', 'customer', 'billing', '--catalogue', sjis]]) {
        expectOneSentence(await run(...args), `catalogue file ${sjis} is not UTF-8 text`);
      }
      const utf16 = file('utf16.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(catalogueText('X'), 'utf16le')]));
      expectOneSentence(await run('validate', utf16), 'is not UTF-8 text');
      const context = file('ctx-sjis.json', Buffer.from([0x7b, 0x22, 0x93, 0xfa, 0x22, 0x3a, 0x31, 0x7d]));
      expectOneSentence(await run('check', 'customer', 'billing', '--context', context), `context file ${context} is not UTF-8 text`);
      // UTF-8, with or without a byte order mark, is read as it is.
      const bom = file('bom.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(catalogueText('日本株式会社'))]));
      expect((await run('validate', bom)).code).toBe(0);
      expect((await run('report', '--catalogue', bom)).stdout).toContain('- Controller: 日本株式会社');
    });

    it('refuses a JSON file with a key twice in one object, naming the key and where it is (JSON.parse would keep the last)', async () => {
      const dup = file(
        'dupkey.json',
        '{"version":"1","controller":{"name":"X"},"dataCategories":{},"purposes":{"billing":{"title":"Billing","basis":"contract"},"marketing":{"title":"Marketing","basis":"legitimate_interests"}},' +
          '"subjects":{"customer":{"title":"Customers","purposes":{"billing":"To bill"},"prohibited":["marketing"]},"customer":{"title":"Customers","purposes":{"billing":"To bill","marketing":"To market"}}}}',
      );
      const r = await run('check', 'customer', 'marketing', '--catalogue', dup);
      expectOneSentence(r, `catalogue file ${dup} has the key "customer" twice in subjects`);
      expect(r.stdout).not.toContain('ALLOWED');
      expectOneSentence(await run('validate', dup), '"customer" twice in subjects');
      // Keys are compared as JSON reads them, escapes decoded; the path names where the object is.
      const escaped = file('dup-escaped.json', catalogueText('X').replace('"purposes":{"billing":"To bill"}', '"purposes":{"billing":"To bill","bil\\u006cing":"Again"}'));
      expectOneSentence(await run('report', '--catalogue', escaped), 'the key "billing" twice in subjects.customer.purposes');
      const top = file('dup-top.json', `{"version":"0",${catalogueText('X').slice(1)}`);
      expectOneSentence(await run('notice', '--catalogue', top), 'the key "version" twice at the top level');
      const ctx = file('dup-ctx.json', '{"consents":[{"purpose":"billing","grantedAt":"2026-01-01T00:00:00Z","grantedAt":"2020-01-01T00:00:00Z"}]}');
      expectOneSentence(await run('check', 'customer', 'billing', '--context', ctx), `context file ${ctx} has the key "grantedAt" twice in consents[0]`);
      // Equal keys in different objects are not duplicates.
      expect((await run('validate', file('same-keys.json', catalogueText('X')))).code).toBe(0);
    });

    it('reports a directory, a device, a missing file or a bad path in one sentence on every file-reading path (exit 2)', async () => {
      const folder = join(dir, 'a-directory');
      mkdirSync(folder, { recursive: true });
      expectOneSentence(await run('audit', 'verify', folder), `audit log path is a directory, not a file: ${folder}`);
      expectOneSentence(await run('validate', folder), `catalogue path is a directory, not a file: ${folder}`);
      expectOneSentence(await run('report', '--catalogue', folder), 'catalogue path is a directory');
      expectOneSentence(await run('check', 'customer', 'billing', '--context', folder), `context path is a directory, not a file: ${folder}`);
      expectOneSentence(await run('notice', '--catalogue', '/dev/null'), 'catalogue path is a device or socket, not a file: /dev/null');
      expectOneSentence(await run('audit', 'verify', '/dev/null'), 'audit log path is not a regular file');
      const plain = file('plain.txt', 'x');
      expectOneSentence(await run('audit', 'verify', join(plain, 'below')), 'audit log file not found');
      expectOneSentence(await run('validate', join(plain, 'below')), 'catalogue file not found');
    });

    it('refuses a named pipe as an audit log (it would be read twice) without waiting for a writer, and reads a catalogue from a pipe', async () => {
      const fifo = join(dir, 'audit.fifo');
      execFileSync('mkfifo', [fifo]);
      expectOneSentence(await run('audit', 'verify', fifo), `audit log path is not a regular file (a pipe, device or socket cannot be verified): ${fifo}`);
      // A shell pipe is a named pipe too: `cat catalogue.json | purpose-guard report --catalogue /dev/stdin`.
      const source = file('piped.json', catalogueText('Piped Ltd.'));
      const piped = execFileSync('sh', ['-c', 'cat "$0" | "$1" "$2" report --catalogue /dev/stdin', source, process.execPath, cli], { encoding: 'utf8' });
      expect(piped).toContain('- Controller: Piped Ltd.');
    });
  });

  it('renders hostile catalogue text as text: no HTML in the Markdown register, no formula in the CSV', async () => {
    const evil = file(
      'evil.json',
      JSON.stringify({
        version: '1',
        controller: { name: "=cmd|'/c calc'!A1", contact: '<script>alert(1)</script>' },
        dataCategories: {},
        purposes: { billing: { title: 'Billing <img src=x onerror=alert(1)>', basis: 'contract' } },
        subjects: { customer: { title: 'Customers</h2><script>alert(1)</script>', description: '# not a heading', purposes: { billing: 'To bill' } } },
      }),
    );
    const md = await run('report', '--catalogue', evil);
    expect(md.code).toBe(0);
    expect(md.stdout).not.toMatch(/[<>]/);
    expect(md.stdout).toContain('\n\\# not a heading\n');
    const csv = await run('report', '--format', 'csv', '--catalogue', evil);
    expect(csv.stdout.split('\r\n')[1]?.startsWith("'=cmd|'/c calc'!A1,")).toBe(true);
  });
});
