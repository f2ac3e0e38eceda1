import { formatPath } from '../../catalogue/error.js';
import { safeParseCatalogue } from '../../catalogue/parse.js';
import { parse } from '../args.js';
import { CliError, readJson, type Io } from '../io.js';

export const VALIDATE_HELP = `Usage: purpose-guard validate <catalogue.json> [--json]

Validates a catalogue and lists every problem with its path.

Options:
  --json       print { valid, issues } as JSON
  -h, --help   show this help

Exit status: 0 valid, 2 invalid (or the file is missing or not JSON).`;

export function validate(argv: string[], io: Io): number {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' } });
  if (positionals.length !== 1) throw new CliError(`validate needs exactly one <catalogue.json>\n\n${VALIDATE_HELP}`);
  const path = positionals[0] as string;
  const result = safeParseCatalogue(readJson(path, 'catalogue'));
  if (values['json'] === true) {
    const issues = result.success ? [] : result.error.issues.map((i) => ({ ...i, at: formatPath(i.path) }));
    io.out(`${JSON.stringify({ valid: result.success, issues }, null, 2)}\n`);
    return result.success ? 0 : 2;
  }
  if (result.success) {
    const c = result.catalogue;
    const n = (o: object) => Object.keys(o).length;
    io.out(`${path}: valid catalogue, version ${c.version}: ${n(c.subjects)} subject categories, ${n(c.purposes)} purposes, ${n(c.dataCategories)} data categories\n`);
    return 0;
  }
  const issues = result.error.issues;
  io.err(`${path}: invalid catalogue (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n`);
  for (const i of issues) io.err(`  ${formatPath(i.path)}: ${i.message} [${i.code}]\n`);
  return 2;
}
