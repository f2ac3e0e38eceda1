import { closeSync, openSync, readSync } from 'node:fs';
import type { VerifyResult } from '../../audit/chain.js';
import { isHash } from '../../audit/chain.js';
import { verifySqliteTable } from '../../audit/sqlite/verify-table.js';
import { verifyAuditLog } from '../../audit/verify.js';
import { parse } from '../args.js';
import { CliError, checkFile, fileError, type Io } from '../io.js';

export const AUDIT_HELP = `Usage: purpose-guard audit verify <file> [--require-seal] [--expected-head <sha256>] [--table <name>] [--json]

Verifies a hash-chained audit log: a JSON Lines file (jsonlSink) or an SQLite
database (sqliteSink, detected from the file header), and reports the first
record that was edited, deleted, inserted or moved.

Options:
  --require-seal           a log that does not end with a seal record is broken (its tail may be cut)
  --expected-head <hash>   the head hash published earlier; a different head is broken
  --table <name>           SQLite table (default purpose_guard_audit)
  --json                   print the result as JSON
  -h, --help               show this help

Exit status: 0 intact, 1 broken, 2 usage error or unreadable file.`;

const SQLITE_MAGIC = 'SQLite format 3\0';

export async function audit(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '-h' || sub === '--help') {
    io.out(`${AUDIT_HELP}\n`);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'verify') throw new CliError(`unknown audit command "${sub}": the only one is "verify"\n\n${AUDIT_HELP}`);
  if (rest.includes('-h') || rest.includes('--help')) {
    io.out(`${AUDIT_HELP}\n`);
    return 0;
  }
  const { values, positionals } = parse(rest, {
    'require-seal': { type: 'boolean' },
    'expected-head': { type: 'string' },
    table: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new CliError(`audit verify needs exactly one <file>\n\n${AUDIT_HELP}`);
  const path = positionals[0] as string;
  const head = values['expected-head'] as string | undefined;
  if (head !== undefined && !isHash(head)) throw new CliError('--expected-head must be a SHA-256 in lower-case hex (64 characters)');
  const options = { requireSeal: values['require-seal'] === true, expectedHead: head, table: values['table'] as string | undefined };

  // Read more than once (the header, then the log) or opened by SQLite: a regular file only. A missing or unreadable
  // file is a usage error (exit 2), not a broken log.
  checkFile(path, 'audit log', true);
  let result: VerifyResult;
  if (isSqlite(path)) {
    // Loaded only here: better-sqlite3 is an optional peer, and the other commands must run without it.
    let Database: typeof import('better-sqlite3');
    try {
      Database = (await import('better-sqlite3')).default;
    } catch {
      throw new CliError(`${path} is an SQLite database; verifying it needs the optional dependency better-sqlite3 (npm install better-sqlite3)`);
    }
    let db: import('better-sqlite3').Database;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true });
    } catch (error) {
      throw new CliError(`cannot open the SQLite audit log ${path}: ${(error as Error).message}`);
    }
    try {
      result = verifySqliteTable(db, options);
    } finally {
      db.close();
    }
  } else {
    result = verifyAuditLog(path, options);
  }

  if (values['json'] === true) io.out(`${JSON.stringify(result, null, 2)}\n`);
  else if (result.intact) {
    io.out(`${path}: intact: ${result.records} records (${result.events} events), ${result.sealed ? 'sealed' : 'not sealed (still open, or cut)'}\n  head: ${result.head}\n`);
  } else {
    io.out(`${path}: BROKEN at record ${result.broken.index} (${result.broken.reason}): ${result.broken.message}\n  ${result.records} records verified before it\n`);
  }
  return result.intact ? 0 : 1;
}

/** Whether the file starts with the SQLite header; a file that cannot be opened or read is a usage error (exit 2). */
function isSqlite(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buffer = Buffer.alloc(16);
    return readSync(fd, buffer, 0, 16, 0) === 16 && buffer.toString('latin1') === SQLITE_MAGIC;
  } catch (error) {
    throw fileError(error, path, 'audit log');
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
