import { readFileSync } from 'node:fs';
import type { Catalogue } from '../catalogue/types.js';
import { defaultCatalogue } from '../catalogue/default.js';
import { formatPath } from '../catalogue/error.js';
import { safeParseCatalogue } from '../catalogue/parse.js';

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

/** Reads a file as text, with a message a person can act on when it cannot be read. */
export function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`${what} file not found: ${path}`);
    if (code === 'EISDIR') throw new CliError(`${what} path is a directory, not a file: ${path}`);
    if (code === 'EACCES') throw new CliError(`${what} file is not readable (permission denied): ${path}`);
    throw new CliError(`cannot read ${what} file ${path}: ${(error as Error).message}`);
  }
}

/** Reads and parses a JSON file; bad JSON is reported with the parser's position. */
export function readJson(path: string, what: string): unknown {
  const text = readText(path, what);
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new CliError(`${what} file ${path} is not valid JSON: ${(error as Error).message}`);
  }
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
