import type { CatalogueIssue } from './types.js';

/**
 * Thrown by `parseCatalogue` and `defineCatalogue`: every problem found, each
 * with a literal `code`, the `path` from the catalogue's root and a message.
 *
 * @example
 * try {
 *   parseCatalogue(json);
 * } catch (error) {
 *   if (error instanceof CatalogueError) for (const issue of error.issues) console.error(issue.path.join('.'), issue.message);
 * }
 */
export class CatalogueError extends Error {
  override readonly name = 'CatalogueError' as const;
  readonly issues: readonly CatalogueIssue[];

  constructor(issues: readonly CatalogueIssue[]) {
    super(formatIssues(issues));
    this.issues = issues;
  }
}

function formatIssues(issues: readonly CatalogueIssue[]): string {
  const lines = issues.map((i) => `  - ${formatPath(i.path)}: ${i.message} [${i.code}]`);
  return `Invalid catalogue (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines.join('\n')}`;
}

/**
 * Renders an issue path as `purposes["marketing.analytics"].compatibleWith[0]`.
 *
 * @example
 * formatPath(['subjects', 'customer', 'prohibited', 0]); // 'subjects.customer.prohibited[0]'
 */
export function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(root)';
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}
