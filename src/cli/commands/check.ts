import { z } from 'zod';
import { createGuard } from '../../guard/guard.js';
import { contextSchemaFor } from '../../rules/context-schema.js';
import { CliError, loadCatalogue, readJson, type Io } from '../io.js';
import { parse } from '../args.js';

export const CHECK_HELP = `Usage: purpose-guard check <subject> <purpose> [--context file.json] [--catalogue file.json] [--json]

Decides whether data on <subject> (a subject category) may be used for <purpose>,
and prints the decision with its reason, rule, legal basis and explanation.

Options:
  --context <file>    JSON use context (now, consents, objections, dataCategories,
                      collectedFor, relationshipEndedAt, exception, actor, subjectId)
  --catalogue <file>  catalogue JSON (default: the built-in default catalogue)
  --json              print the decision as JSON
  -h, --help          show this help

Exit status: 0 allowed, 1 denied, 2 usage or input error.`;

export function check(argv: string[], io: Io): number {
  const { values, positionals } = parse(argv, { context: { type: 'string' }, catalogue: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length !== 2) throw new CliError(`check needs <subject> and <purpose>, got ${positionals.length} argument(s)\n\n${CHECK_HELP}`);
  const [subject, purpose] = positionals as [string, string];
  const catalogue = loadCatalogue(values['catalogue'] as string | undefined);
  let context: unknown;
  const contextPath = values['context'] as string | undefined;
  if (contextPath !== undefined) {
    const parsed = contextSchemaFor(catalogue).safeParse(readJson(contextPath, 'context'));
    if (!parsed.success) throw new CliError(`${contextPath}: invalid context:\n${z.prettifyError(parsed.error)}`);
    context = parsed.data;
  }
  const decision = createGuard(catalogue).checkUse(subject, purpose as never, context as never);
  if (values['json'] === true) io.out(`${JSON.stringify(decision, null, 2)}\n`);
  else {
    const lines = [`${decision.allowed ? 'ALLOWED' : 'DENIED'}  ${subject} -> ${purpose}  [${decision.reason}]`, `  rule:    ${decision.rule} (${decision.step})`];
    if (decision.allowed && decision.reason !== 'monitored') {
      lines.push(`  basis:   ${decision.basis}`);
      if (decision.consentId !== undefined) lines.push(`  consent: ${decision.consentId}`);
      if (decision.exception !== undefined) lines.push(`  exception: ${decision.exception.ground} (${decision.exception.reference})`);
    }
    if (!decision.allowed && decision.field !== undefined) lines.push(`  field:   ${decision.field}`);
    if (decision.law.length > 0) lines.push(`  law:     ${decision.law.join(', ')}`);
    lines.push(`  ${decision.message}`);
    io.out(`${lines.join('\n')}\n`);
  }
  return decision.allowed ? 0 : 1;
}
