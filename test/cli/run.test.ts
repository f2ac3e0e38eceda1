import type * as fs from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { findDuplicateKey } from '../../src/cli/json.js';
import { runCli } from '../../src/cli/run.js';

/**
 * In-process runs of the CLI for what a real file system cannot show here: these tests run as root, which
 * permission bits do not stop, so a read refused with EACCES is simulated; and a library error that no input
 * should cause, which must still not print a stack trace.
 */
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const refused = (path: unknown): boolean => String(path).includes('no-permission');
  const eacces = (path: unknown) => Object.assign(new Error(`EACCES: permission denied, open '${String(path)}'`), { code: 'EACCES', errno: -13, syscall: 'open' });
  return {
    ...real,
    readFileSync: ((path: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
      if (refused(path)) throw eacces(path);
      return (real.readFileSync as (...args: unknown[]) => unknown)(path, ...rest);
    }) as typeof real.readFileSync,
    openSync: ((path: fs.PathLike, ...rest: unknown[]) => {
      if (refused(path)) throw eacces(path);
      return (real.openSync as (...args: unknown[]) => number)(path, ...rest);
    }) as typeof real.openSync,
  };
});

vi.mock('../../src/catalogue/parse.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/catalogue/parse.js')>();
  return {
    ...real,
    safeParseCatalogue: (input: unknown) => {
      if ((input as { version?: unknown } | null)?.version === 'library-bug') throw new RangeError('Maximum call stack size exceeded');
      return real.safeParseCatalogue(input);
    },
  };
});

const dir = mkdtempSync(join(tmpdir(), 'pg-cli-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    out: (t) => {
      stdout += t;
    },
    err: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

describe('runCli', () => {
  it('reports a file it may not read in one sentence (exit 2), on every file-reading path', async () => {
    const path = join(dir, 'no-permission.json');
    writeFileSync(path, '{}');
    for (const [argv, what] of [
      [['validate', path], 'catalogue'],
      [['report', '--catalogue', path], 'catalogue'],
      [['check', 'customer', 'billing', '--context', path], 'context'],
      [['audit', 'verify', path], 'audit log'],
    ] as const) {
      const r = await cli(...argv);
      expect(r, argv.join(' ')).toEqual({ code: 2, stdout: '', stderr: `purpose-guard ${argv[0]}: ${what} file is not readable (permission denied): ${path}\n` });
    }
  });

  it('reports an error no input should cause in one line without a stack trace (exit 70)', async () => {
    const path = join(dir, 'bug.json');
    writeFileSync(path, JSON.stringify({ version: 'library-bug' }));
    const r = await cli('validate', path);
    expect(r.code).toBe(70);
    expect(r.stderr).toBe(
      'purpose-guard validate: unexpected error (RangeError: Maximum call stack size exceeded); this is a bug in purpose-guard, please report it with the input that caused it\n',
    );
  });
});

describe('findDuplicateKey', () => {
  it('finds the first key that occurs twice in one object, with the path of that object', () => {
    expect(findDuplicateKey('{"a":1,"a":2}')).toEqual({ key: 'a', path: [] });
    expect(findDuplicateKey('{"x":[{"k":1},{"k":1,"y":{"z":"}","z":2}}]}')).toEqual({ key: 'z', path: ['x', 1, 'y'] });
    expect(findDuplicateKey('{"a\\"b":1,"a\\u0022b":2}')).toEqual({ key: 'a"b', path: [] });
    expect(findDuplicateKey('{"s":"\\\\","s":1}')).toEqual({ key: 's', path: [] });
  });

  it('finds none where equal keys are in different objects, or a key equals a string value', () => {
    expect(findDuplicateKey('{"a":{"a":{"a":"a"}},"b":["a","a",{"a":1}],"c":{"b":1}}')).toBeUndefined();
    expect(findDuplicateKey('[1,"x",{"k":[]},{"k":{}}]')).toBeUndefined();
    expect(findDuplicateKey(' "just a string" ')).toBeUndefined();
    expect(findDuplicateKey(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toBeUndefined();
  });
});
