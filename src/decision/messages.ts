/**
 * Sentences for decisions. They name catalogue titles and ids, never values
 * from the context (which may be personal data), so a message can be logged or
 * shown in an error response as it is.
 */

const MAX_ECHO = 64;

/**
 * Quotes an id given by a caller, cut short so a 1 MB string cannot flood a log line.
 *
 * @example
 * echo('Billing'); // '"Billing"'
 */
export function echo(value: string): string {
  const cut = value.length > MAX_ECHO ? `${value.slice(0, MAX_ECHO)}…` : value;
  return JSON.stringify(cut);
}

/**
 * A short, safe description of a value's type for error messages.
 *
 * @example
 * describeType(null); // 'null'
 * describeType([]);   // 'an array'
 */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  const t = typeof value;
  if (t === 'object') return 'an object';
  if (t === 'string') return `a string`;
  return `a ${t}`;
}

/**
 * Lists ids for a message, bounded so a huge catalogue does not make huge messages.
 *
 * @example
 * listIds(['a', 'b']); // 'a, b'
 */
export function listIds(ids: readonly string[], max = 12): string {
  const shown = ids.slice(0, max).join(', ');
  return ids.length > max ? `${shown} and ${ids.length - max} more` : shown;
}
