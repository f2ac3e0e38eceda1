import { renderPrivacyNotice } from '../../notice/notice.js';
import { recordsOfProcessing, recordsToCsv, recordsToMarkdown } from '../../report/index.js';
import { parse } from '../args.js';
import { CliError, loadCatalogue, type Io } from '../io.js';

export const REPORT_HELP = `Usage: purpose-guard report [--format md|json|csv] [--catalogue file.json]

Prints the records of processing (GDPR Art. 30; APPI) generated from the catalogue.

Options:
  --format <f>        md (default), json or csv (RFC 4180)
  --catalogue <file>  catalogue JSON (default: the built-in default catalogue)
  -h, --help          show this help`;

export const NOTICE_HELP = `Usage: purpose-guard notice [--catalogue file.json]

Prints the public "purposes of use" notice generated from the catalogue.

Options:
  --catalogue <file>  catalogue JSON (default: the built-in default catalogue)
  -h, --help          show this help`;

export function report(argv: string[], io: Io): number {
  const { values, positionals } = parse(argv, { format: { type: 'string' }, catalogue: { type: 'string' } });
  if (positionals.length > 0) throw new CliError(`report takes no arguments, got "${positionals[0]}"\n\n${REPORT_HELP}`);
  const format = (values['format'] as string | undefined) ?? 'md';
  if (format !== 'md' && format !== 'json' && format !== 'csv') throw new CliError(`unknown --format "${format}": use md, json or csv`);
  const records = recordsOfProcessing(loadCatalogue(values['catalogue'] as string | undefined));
  io.out(format === 'json' ? `${JSON.stringify(records, null, 2)}\n` : format === 'csv' ? recordsToCsv(records) : recordsToMarkdown(records));
  return 0;
}

export function notice(argv: string[], io: Io): number {
  const { values, positionals } = parse(argv, { catalogue: { type: 'string' } });
  if (positionals.length > 0) throw new CliError(`notice takes no arguments, got "${positionals[0]}"\n\n${NOTICE_HELP}`);
  io.out(`${renderPrivacyNotice(loadCatalogue(values['catalogue'] as string | undefined))}\n`);
  return 0;
}
