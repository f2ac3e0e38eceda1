import { AUDIT_HELP, audit } from './commands/audit.js';
import { CHECK_HELP, check } from './commands/check.js';
import { NOTICE_HELP, notice, REPORT_HELP, report } from './commands/report.js';
import { VALIDATE_HELP, validate } from './commands/validate.js';
import { CliError, type Io } from './io.js';

export const HELP = `Usage: purpose-guard <command> [options]

Commands:
  check <subject> <purpose>   decide a use (exit 0 allowed, 1 denied)
  validate <catalogue.json>   validate a catalogue, listing every problem (exit 2 when invalid)
  report                      records of processing as Markdown, JSON or CSV
  notice                      the privacy notice ("purposes of use")
  audit verify <file>         verify a hash-chained audit log (exit 0 intact, 1 broken)

Run "purpose-guard <command> --help" for a command's options.`;

type Command = (argv: string[], io: Io) => number | Promise<number>;
const COMMANDS: Record<string, { run: Command; help: string }> = {
  check: { run: check, help: CHECK_HELP },
  validate: { run: validate, help: VALIDATE_HELP },
  report: { run: report, help: REPORT_HELP },
  notice: { run: notice, help: NOTICE_HELP },
  audit: { run: audit, help: AUDIT_HELP },
};

/**
 * Runs the CLI with arguments (without `node` and the script) and returns the exit status.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2), { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) });
 */
export async function runCli(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(`${HELP}\n`);
    return 2;
  }
  if (name === '-h' || name === '--help' || name === 'help') {
    io.out(`${HELP}\n`);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    io.err(`purpose-guard: unknown command "${name}"\n\n${HELP}\n`);
    return 2;
  }
  try {
    // `audit` has subcommands and handles --help itself.
    if (name !== 'audit' && (rest.includes('-h') || rest.includes('--help'))) {
      io.out(`${command.help}\n`);
      return 0;
    }
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.err(`purpose-guard ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    // One sentence, no stack trace: what failed is the input's to show, and a user's terminal is no place for our internals.
    io.err(`purpose-guard ${name}: unexpected error (${describe(error)}); this is a bug in purpose-guard, please report it with the input that caused it\n`);
    return 70;
  }
}

/** `Name: message` of a thrown value on one line, whatever it is (even an object whose getters throw). */
function describe(error: unknown): string {
  try {
    return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).replace(/\s*[\r\n]+\s*/g, ' ');
  } catch {
    return 'a value that cannot be shown';
  }
}
