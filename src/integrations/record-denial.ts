import type { DecisionMeta } from '../audit/types.js';
import type { AnyGuard } from '../guard/guard.js';
import { violationOf } from '../scope/problem.js';
import { ownField } from '../rules/own.js';

/** What the HTTP adapters need of a guard to record the denials they decide themselves: every `Guard` is one. */
export type DenialRecorder = Pick<AnyGuard, 'record'>;

/**
 * What `purposeFor` takes: the guard's catalogue, and its `record` if it has
 * one (an object with only a catalogue is enough: the adapter then answers
 * its own refusals without recording them).
 */
export type GuardForDeclarations<C> = { readonly catalogue: C } & { readonly record?: DenialRecorder['record'] | undefined };

/**
 * The guard's `record`, read once, if it has one: `undefined` when it is
 * missing, not a function, unreadable, or the one a polluted
 * `Object.prototype` holds (not the guard's), so that only a guard's own
 * recorder receives the adapter's decisions.
 *
 * @example
 * recorderOf({ catalogue }); // undefined: the 403s are answered, not recorded
 */
export function recorderOf(guard: unknown): DenialRecorder | undefined {
  let record: unknown;
  try {
    record = (guard as { readonly record?: unknown }).record;
  } catch {
    return undefined;
  }
  if (typeof record !== 'function') return undefined;
  if (Object.hasOwn(Object.prototype, 'record') && record === (Object.prototype as { readonly record?: unknown }).record) return undefined;
  const recordOf = record as DenialRecorder['record'];
  return { record: (decision, context, meta) => recordOf.call(guard, decision, context, meta) };
}

/**
 * The guard in an options object, read own-only: a `guard` on a polluted
 * `Object.prototype` must not receive the adapter's decisions.
 *
 * @example
 * const guard = ownGuard(options); // undefined for {}
 */
export function ownGuard(options: unknown): DenialRecorder | undefined {
  return ownField(options, 'guard') as DenialRecorder | undefined;
}

/**
 * Hands `error` to `pass`, after recording its deny with `guard` when it is a
 * `PurposeViolationError` (an adapter's own refusal: a malformed scope, an
 * undeclared purpose, a purpose outside a route), so that every denial the
 * client sees is in the audit trail first. Other errors, or no guard, are
 * passed at once. `guard.record` reports its own failures (`onAuditError`) and
 * never rejects; a guard that throws anyway does not keep the deny from being
 * answered.
 *
 * @example
 * passRecorded(guard, error, input, { via: 'express', method: 'GET /customers/:id' }, next);
 */
export function passRecorded(guard: DenialRecorder | undefined, error: unknown, context: unknown, meta: DecisionMeta, pass: (error: unknown) => void): void {
  const decision = guard === undefined ? undefined : violationOf(error);
  if (guard === undefined || decision === undefined) {
    pass(error);
    return;
  }
  const answer = (): void => pass(error);
  let recorded: Promise<void>;
  try {
    recorded = Promise.resolve(guard.record(decision, context, meta));
  } catch {
    answer();
    return;
  }
  recorded.then(answer, answer);
}
