import { AsyncLocalStorage } from 'node:async_hooks';
import { denyOf } from '../compile/compile.js';
import { PurposeViolationError } from '../decision/error.js';
import { describeType } from '../decision/messages.js';
import type { DenyDecision } from '../decision/types.js';
import { CONTEXT_FIELDS, type UseContext } from '../rules/context.js';

const SCOPE_FIELDS: ReadonlySet<string> = new Set(CONTEXT_FIELDS);

/**
 * What `runWithPurpose` takes: the purpose of the work, and the context
 * `checkUse` reads (`actor`, `consents`, `subjectId`...), flat.
 *
 * @example
 * const input: PurposeScopeInput = { purpose: 'billing', actor: 'svc-invoices' };
 */
export interface PurposeScopeInput<P extends string = string, D extends string = string> extends UseContext<P, D> {
  readonly purpose: P;
}

/**
 * The scope in force: its purpose, and the context every guarded call under it
 * passes to `checkUse`. Frozen: code under the scope cannot change its purpose.
 *
 * @example
 * const scope = currentScope();
 * if (scope) log.debug('purpose', scope.purpose);
 */
export interface PurposeScope<P extends string = string> {
  readonly purpose: P;
  /** The context fields of the scope (everything but `purpose`), or `undefined` when there are none. */
  readonly context: UseContext | undefined;
  /** The scope this one is nested in. */
  readonly parent: PurposeScope | undefined;
}

/**
 * One store per process, shared through a registered symbol: when the ESM and
 * the CJS build are both loaded (an ESM app with a CJS dependency), a scope
 * opened by one is seen by repositories guarded by the other.
 */
const STORAGE_KEY = Symbol.for('purpose-guard.scope.v1');
const registry = globalThis as { [STORAGE_KEY]?: AsyncLocalStorage<PurposeScope> };
registry[STORAGE_KEY] ??= new AsyncLocalStorage<PurposeScope>();
const storage: AsyncLocalStorage<PurposeScope> = registry[STORAGE_KEY];

/**
 * Runs `fn` with a purpose (and its context) in scope, across `await`, timers
 * and promise chains. Guarded repositories under it check every call against
 * this purpose. A nested scope replaces the purpose and inherits the context
 * fields it does not set; the outer scope is back when `fn` returns.
 *
 * The input is copied (own enumerable fields only) and frozen, so mutating it
 * later changes nothing. Input that is not an object with a string `purpose`
 * throws `PurposeViolationError` (`invalid_input`) and `fn` does not run.
 *
 * @example
 * await runWithPurpose({ purpose: 'customer-support', actor: 'agent-7' }, async () => {
 *   const customer = await customers.findById(id); // checked against customer-support
 * });
 */
export function runWithPurpose<const P extends string, R>(input: PurposeScopeInput<P>, fn: () => R): R {
  const scope = makeScope(input, storage.getStore());
  if (typeof fn !== 'function') throw new TypeError(`runWithPurpose: fn must be a function; got ${describeType(fn)}`);
  return storage.run(scope, fn);
}

/**
 * The purpose in scope, or `undefined` outside every `runWithPurpose`.
 *
 * @example
 * runWithPurpose({ purpose: 'billing' }, () => currentPurpose()); // 'billing'
 */
export function currentPurpose(): string | undefined {
  return storage.getStore()?.purpose;
}

/**
 * The whole scope in force (purpose, context, parent), or `undefined`.
 *
 * @example
 * runWithPurpose({ purpose: 'billing', actor: 'a-1' }, () => currentScope()?.context?.actor); // 'a-1'
 */
export function currentScope(): PurposeScope | undefined {
  return storage.getStore();
}

/**
 * The deny a guarded call gets when no purpose is in scope and its method fixes none.
 *
 * @example
 * throw new PurposeViolationError(noPurposeInScope('customer', 'CustomerRepo.findById'));
 */
export function noPurposeInScope(subject: string, method: string): DenyDecision {
  return denyOf({ id: subject }, { id: '' }, 'no_purpose_in_scope', 'scope', 'scope',
    `No purpose is in scope for ${method}: run the call inside runWithPurpose (or a route that declares its purpose), or fix a purpose in the repository spec.`);
}

function makeScope(input: unknown, parent: PurposeScope | undefined): PurposeScope {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw invalid('input', `The purpose scope must be an object with a purpose; got ${describeType(input)}.`);
  }
  let purpose: unknown;
  const context: Record<string, unknown> = parent?.context === undefined ? {} : { ...parent.context };
  let fields = parent?.context === undefined ? 0 : Object.keys(parent.context).length;
  let unknown: string | undefined;
  try {
    // Own enumerable keys only: an inherited `purpose` must not set the scope.
    for (const key of Object.keys(input)) {
      if (key !== 'purpose' && !SCOPE_FIELDS.has(key)) {
        // A misspelt field (or a `__proto__` key from JSON.parse) must not be dropped in silence: checkUse refuses it too.
        unknown ??= key;
        continue;
      }
      const value = (input as Record<string, unknown>)[key];
      if (key === 'purpose') purpose = value;
      else if (value !== undefined) {
        if (!Object.hasOwn(context, key)) fields++;
        context[key] = value;
      }
    }
  } catch {
    throw invalid('input', 'The purpose scope could not be read (a getter or Proxy threw).');
  }
  if (unknown !== undefined) {
    throw invalid(unknown, `${JSON.stringify(unknown.slice(0, 64))} is not a field of a purpose scope (purpose, ${CONTEXT_FIELDS.join(', ')}).`);
  }
  if (typeof purpose !== 'string' || purpose.length === 0) {
    throw invalid('purpose', `The purpose scope needs a purpose id (a non-empty string); got ${typeof purpose === 'string' ? 'an empty string' : describeType(purpose)}.`);
  }
  return Object.freeze({ purpose, context: fields === 0 ? undefined : Object.freeze(context), parent });
}

function invalid(field: string, message: string): PurposeViolationError {
  return new PurposeViolationError(denyOf({ id: '' }, { id: '' }, 'invalid_input', 'scope', 'scope', message, { field }));
}
