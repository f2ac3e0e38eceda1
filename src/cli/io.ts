import { readFileSync, type Stats, statSync } from 'node:fs';
import type { Catalogue } from '../catalogue/types.js';
import { defaultCatalogue } from '../catalogue/default.js';
import { formatPath } from '../catalogue/error.js';
import { safeParseCatalogue } from '../catalogue/parse.js';
import { findDuplicateKey } from './json.js';

/** Where a command writes. */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** A problem to report to the user with an exit code (2: usage or input error). */
export class CliError extends Error {
  override readonly name = 'CliError' as const;
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** The error of a failed `stat` or read, as one sentence a person can act on. */
export function fileError(error: unknown, path: string, what: string): CliError {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return new CliError(`${what} file not found: ${path}`);
  if (code === 'EISDIR') return new CliError(`${what} path is a directory, not a file: ${path}`);
  if (code === 'EACCES' || code === 'EPERM') return new CliError(`${what} file is not readable (permission denied): ${path}`);
  if (code === 'ENOTDIR') return new CliError(`${what} file not found (a part of the path is not a directory): ${path}`);
  return new CliError(`cannot read ${what} file ${path}: ${error instanceof Error ? error.message : String(error)}`);
}

/**
 * Checks that `path` names something to read as a file: not a directory, a
 * device (a terminal, `/dev/zero`) or a socket. A named pipe is accepted
 * (`--catalogue /dev/stdin` under a pipe) unless `regular` is set: a command that
 * reads the file more than once, or hands it to a database, needs a regular file.
 */
export function checkFile(path: string, what: string, regular = false): void {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    throw fileError(error, path, what);
  }
  if (stats.isDirectory()) throw new CliError(`${what} path is a directory, not a file: ${path}`);
  if (stats.isFile()) return;
  if (regular) throw new CliError(`${what} path is not a regular file (a pipe, device or socket cannot be verified): ${path}`);
  if (!stats.isFIFO()) throw new CliError(`${what} path is a device or socket, not a file: ${path}`);
}

/** Reads a file's bytes, with a message a person can act on when it cannot be read. */
export function readBytes(path: string, what: string): Buffer {
  checkFile(path, what);
  try {
    return readFileSync(path);
  } catch (error) {
    throw fileError(error, path, what);
  }
}

/**
 * Reads a file as UTF-8 text (a byte order mark is dropped). A byte sequence that is not
 * UTF-8 (a Shift_JIS or UTF-16 file) is an error: decoding it with replacement
 * characters would validate, enforce and print text that is not what the file says.
 */
export function readText(path: string, what: string): string {
  const bytes = readBytes(path, what);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CliError(`${what} file ${path} is not UTF-8 text (Shift_JIS or UTF-16?); save it as UTF-8`);
  }
}

/**
 * Reads and parses a JSON file; bad JSON is reported with the parser's position,
 * and a key that occurs twice in one object (which `JSON.parse` would silently
 * drop but for the last) with the key and where it is.
 */
export function readJson(path: string, what: string): unknown {
  const text = readText(path, what);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${what} file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const duplicate = findDuplicateKey(text);
  if (duplicate !== undefined) {
    const where = duplicate.path.length === 0 ? 'at the top level' : `in ${formatPath(duplicate.path)}`;
    throw new CliError(`${what} file ${path} has the key ${JSON.stringify(duplicate.key)} twice ${where}; JSON would keep only the last one, so remove or merge the other`);
  }
  return value;
}

/** The catalogue a command works on: the file given (validated), else the default catalogue. */
export function loadCatalogue(path: string | undefined): Catalogue {
  if (path === undefined) return defaultCatalogue;
  const result = safeParseCatalogue(readJson(path, 'catalogue'));
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${formatPath(i.path)}: ${i.message} [${i.code}]`);
    throw new CliError(`${path}: invalid catalogue (${lines.length} problem${lines.length === 1 ? '' : 's'}; run "purpose-guard validate ${path}"):\n${lines.join('\n')}`);
  }
  return result.catalogue;
}
