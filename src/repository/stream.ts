import { PurposeViolationError } from '../decision/error.js';
import type { Decision } from '../decision/types.js';

/** What the wrapper hands out for a value the repository yields or returns: minimised, when the spec maps fields. */
type Finish = (decision: Decision, value: unknown) => unknown;

/**
 * The stream of an `async *` repository method, decided lazily: nothing runs
 * before the first `next()`, which decides (the audit record acknowledged
 * first, in strict mode) and only on an allow calls the repository's
 * generator. Every value it yields, and the one it returns, goes through
 * `finish`. Leaving early (`break`, `return()`, `throw()`) closes the
 * repository's generator, so its `finally` blocks run.
 *
 * @example
 * const rows = guardedAsyncStream(() => decideAsync(plan, guard, scope, args), () => repo.streamAll(), finish);
 * for await (const row of rows) send(row);
 */
export async function* guardedAsyncStream(decide: () => Promise<Decision>, start: () => unknown, finish: Finish): AsyncGenerator<unknown, unknown, unknown> {
  const decision = await decide();
  if (!decision.allowed) throw new PurposeViolationError(decision);
  const inner = start() as AsyncIterator<unknown, unknown, unknown>;
  let finished = false;
  try {
    let sent: unknown;
    for (;;) {
      const step = await inner.next(sent);
      if (step.done === true) {
        finished = true;
        return finish(decision, step.value);
      }
      sent = yield finish(decision, step.value);
    }
  } finally {
    if (!finished) await inner.return?.(undefined);
  }
}

/**
 * The iterator of a `function *` repository method: as `guardedAsyncStream`,
 * with the synchronous check, made at the first `next()`.
 *
 * @example
 * const rows = guardedStream(() => decideSync(plan, guard, scope, args), () => repo.rows(), finish);
 * for (const row of rows) send(row);
 */
export function* guardedStream(decide: () => Decision, start: () => unknown, finish: Finish): Generator<unknown, unknown, unknown> {
  const decision = decide();
  if (!decision.allowed) throw new PurposeViolationError(decision);
  const inner = start() as Iterator<unknown, unknown, unknown>;
  let finished = false;
  try {
    let sent: unknown;
    for (;;) {
      const step = inner.next(sent);
      if (step.done === true) {
        finished = true;
        return finish(decision, step.value);
      }
      sent = yield finish(decision, step.value);
    }
  } finally {
    if (!finished) inner.return?.(undefined);
  }
}
