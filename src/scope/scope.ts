import { AsyncLocalStorage } from 'node:async_hooks';
import { types } from 'node:util';
import { denyOf } from '../compile/compile.js';
import { PurposeViolationError } from '../decision/error.js';
import { describeType } from '../decision/messages.js';
import type { DenyDecision } from '../decision/types.js';
import { CONTEXT_FIELDS, type UseContext } from '../rules/context.js';
import { ownField } from '../rules/own.js';

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
// v2: a scope may carry a bound (see `ScopeOptions`), which a copy that knows only v1 would not honour.
const STORAGE_KEY = Symbol.for('purpose-guard.scope.v2');
const registry = globalThis as { [STORAGE_KEY]?: AsyncLocalStorage<PurposeScope> };
registry[STORAGE_KEY] ??= new AsyncLocalStorage<PurposeScope>();
const storage: AsyncLocalStorage<PurposeScope> = registry[STORAGE_KEY];

/**
 * Runs `fn` with a purpose (and its context) in scope, across `await`, timers
 * and promise chains. Guarded repositories under it check every call against
 * this purpose. A nested scope replaces the purpose and inherits the context
 * fields it does not set; the outer scope is back when `fn` returns.
 *
 * The input is copied and frozen, down to its lists, plain records and Dates
 * (see `snapshot`), so mutating it later changes nothing: every call under the
 * scope decides on the context as it was when the scope opened. A nested scope
 * for another purpose does not inherit a legal exception (it justified the outer
 * purpose); a field given as `undefined` is inherited, as one left out is. Input
 * that is not an object with a string `purpose` throws `PurposeViolationError`
 * (`invalid_input`) and `fn` does not run.
 *
 * @example
 * await runWithPurpose({ purpose: 'customer-support', actor: 'agent-7' }, async () => {
 *   const customer = await customers.findById(id); // checked against customer-support
 * });
 */
export function runWithPurpose<const P extends string, R>(input: PurposeScopeInput<P>, fn: () => R, options?: ScopeOptions): R {
  // Read once, own only: a polluted Object.prototype must not bound (or unbound) a scope.
  const bound = ownField(options, 'bound');
  if (bound !== undefined && typeof bound !== 'function') throw new TypeError(`runWithPurpose: bound must be a function; got ${describeType(bound)}`);
  let scope = makeScope(input, live(storage.getStore()));
  if (typeof fn !== 'function') throw new TypeError(`runWithPurpose: fn must be a function; got ${describeType(fn)}`);
  if (bound !== undefined) scope = Object.freeze(Object.defineProperty({ ...scope }, BOUND, { value: bound }));
  return storage.run(scope, fn);
}

/**
 * Options of `runWithPurpose`.
 *
 * @example
 * runWithPurpose({ purpose: 'billing' }, next, { bound: () => req.route === route });
 */
export interface ScopeOptions {
  /**
   * While it answers `true`, the scope applies; once it answers anything else
   * (or throws), the scope has ended, with every scope opened inside it, and
   * readers see the scope around it. For work that goes on in the scope's
   * async context after the scope's business is over: Express calls the next
   * route from inside the route that declared a purpose (see `purpose-guard/express`).
   */
  readonly bound?: (() => boolean) | undefined;
}

/** Where a scope keeps its bound: on the scope, so the ESM and CJS builds (one store, see below) both honour it. */
const BOUND = Symbol.for('purpose-guard.scope.bound');

/** The innermost scope still in force: a scope whose bound no longer holds has ended, with every scope inside it. */
function live(scope: PurposeScope | undefined): PurposeScope | undefined {
  let result = scope;
  for (let s = scope; s !== undefined; s = s.parent) {
    const bound = (s as { readonly [BOUND]?: () => unknown })[BOUND];
    if (bound === undefined) continue;
    let holds = false;
    try {
      holds = bound() === true;
    } catch {
      // A bound that cannot answer has ended its scope: fail closed.
    }
    if (!holds) result = s.parent;
  }
  return result;
}

/**
 * Runs `fn` outside every purpose scope: a guarded call in it is denied with
 * `no_purpose_in_scope` unless its method fixes a purpose. For work a request
 * starts but that outlives it (a timer, a queue consumer, a cache refresh):
 * started inside a scope, it would otherwise carry the request's purpose, actor
 * and consents for as long as it runs.
 *
 * @example
 * runWithoutPurpose(() => setInterval(refreshCache, 60_000)); // not under the request's purpose
 */
export function runWithoutPurpose<R>(fn: () => R): R {
  if (typeof fn !== 'function') throw new TypeError(`runWithoutPurpose: fn must be a function; got ${describeType(fn)}`);
  return storage.exit(fn);
}

/**
 * The purpose in scope, or `undefined` outside every `runWithPurpose`.
 *
 * @example
 * runWithPurpose({ purpose: 'billing' }, () => currentPurpose()); // 'billing'
 */
export function currentPurpose(): string | undefined {
  return live(storage.getStore())?.purpose;
}

/**
 * The whole scope in force (purpose, context, parent), or `undefined`.
 *
 * @example
 * runWithPurpose({ purpose: 'billing', actor: 'a-1' }, () => currentScope()?.context?.actor); // 'a-1'
 */
export function currentScope(): PurposeScope | undefined {
  return live(storage.getStore());
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
  const given: Record<string, unknown> = {};
  // Values kept as they are (see `snapshot`): they may still change, so nothing read from them may be cached.
  const kept = { live: parent?.context !== undefined && !isSealed(parent.context) };
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
      else given[key] = snapshot(value, 0, kept, TOP_DATES.has(key), RECORD_DATES.get(key));
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
  const context: Record<string, unknown> = {};
  if (parent?.context !== undefined) {
    for (const [key, value] of Object.entries(parent.context)) {
      // A legal exception justifies the purpose it was given for: a nested scope for another purpose must not carry it.
      if (key === 'exception' && purpose !== parent.purpose) continue;
      context[key] = value;
    }
  }
  for (const key of Object.keys(given)) {
    // Given as undefined (`{ objections: maybe }`, TypeScript's optional field): inherited, never cleared, so an
    // inner scope cannot drop by accident the outer scope's objections, categories or retention end.
    if (given[key] !== undefined) context[key] = given[key];
  }
  if (Object.keys(context).length === 0) return Object.freeze({ purpose, context: undefined, parent });
  const frozen = Object.freeze(context);
  if (!kept.live) sealed.add(frozen);
  return Object.freeze({ purpose, context: frozen, parent });
}

/**
 * A copy of a scope's context value that later changes to the input cannot
 * reach: lists and plain records are copied (records with every own field, as
 * checkUse reads them, enumerable or not) and frozen, and a Date where checkUse
 * reads a date becomes its RFC 3339 string (a Date cannot be frozen: `setTime`
 * would still move it). Anything else (a class instance, a Map, any Proxy, a
 * Date past year 9999 or in a field that is not a date) is kept as it is, for
 * checkUse to judge as it would have, and so is a list with holes, which it
 * refuses; a context holding one is not sealed.
 */
function snapshot(value: unknown, depth: number, kept: { live: boolean }, isDate: boolean, recordDates: ReadonlySet<string> | undefined): unknown {
  if (typeof value !== 'object' || value === null) return value;
  // A Proxy may list its keys one way and describe them another: copied by one reading, it could decide
  // differently from the reading checkUse makes. Kept, and read afresh by every check.
  if (isProxy(value)) return keep(value, kept);
  if (Array.isArray(value) && depth < 1) {
    const copy: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      if (!Object.hasOwn(value, i)) return keep(value, kept);
      copy.push(snapshot(value[i], depth + 1, kept, false, recordDates));
    }
    return Object.freeze(copy);
  }
  const ms = dateValue(value);
  // Only where checkUse reads a date: a Date where it wants text (an actor, an exception's reference) must stay
  // a Date, which it refuses, not become a string it would accept.
  if (ms !== undefined) return isDate && ms >= MIN_ISO && ms <= MAX_ISO ? new Date(ms).toISOString() : keep(value, kept);
  const proto: unknown = Object.getPrototypeOf(value);
  if ((proto !== Object.prototype && proto !== null) || depth > 1) return keep(value, kept);
  const copy: Record<string, unknown> = proto === null ? Object.create(null) : {};
  for (const key of Object.getOwnPropertyNames(value)) {
    // Defined, not assigned: an own `__proto__` (from JSON.parse) stays a field; enumerability is kept, which decides
    // whether checkUse's key check sees it.
    const enumerable = Object.prototype.propertyIsEnumerable.call(value, key);
    const field = snapshot((value as Record<string, unknown>)[key], 2, kept, recordDates?.has(key) === true, undefined);
    Object.defineProperty(copy, key, { value: field, enumerable });
  }
  return Object.freeze(copy);
}

/** The context fields checkUse reads as dates. */
const TOP_DATES: ReadonlySet<string> = new Set(['now', 'relationshipEndedAt']);

/** The fields checkUse reads as dates in the records of a context list. */
const RECORD_DATES: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['consents', new Set(['grantedAt', 'withdrawnAt', 'expiresAt'])],
  ['objections', new Set(['at'])],
]);

// The instants whose toISOString is RFC 3339 (years 0000 to 9999), which checkUse reads back to the millisecond.
const MIN_ISO = Date.parse('0000-01-01T00:00:00.000Z');
const MAX_ISO = Date.parse('9999-12-31T23:59:59.999Z');

const isProxy = types.isProxy;

function keep(value: unknown, kept: { live: boolean }): unknown {
  kept.live = true;
  return value;
}

/** A context's copy without its legal exception, made once per context. */
const withoutException = new WeakMap<object, UseContext | undefined>();

/**
 * The scope's context as a check for `purpose` reads it: the scope's own, less
 * its legal exception when `purpose` is not the scope's (a repository method
 * that fixes another purpose), since the exception justified the scope's
 * purpose only, as it does for a nested scope (see `runWithPurpose`).
 *
 * @example
 * guard.checkUse('customer', 'marketing.surveys', scopeContextFor(currentScope(), 'marketing.surveys'));
 */
export function scopeContextFor(scope: PurposeScope | undefined, purpose: string): UseContext | undefined {
  // The scope's own purpose first: the common case, decided without reading the context itself (in a repository
  // call, between two database queries, every object read is a likely cache miss).
  if (scope === undefined || purpose === scope.purpose) return scope?.context;
  const context = scope.context;
  if (context === undefined || context.exception === undefined) return context;
  if (withoutException.has(context)) return withoutException.get(context);
  const { exception: _dropped, ...rest } = context;
  const derived = Object.keys(rest).length === 0 ? undefined : Object.freeze(rest);
  if (derived !== undefined && isSealed(context)) sealed.add(derived);
  withoutException.set(context, derived);
  return derived;
}

/** Scope contexts copied whole: nothing in them can change, so what is read from one may be kept. */
const sealed = new WeakSet<object>();

/**
 * Whether a scope's context was copied whole when the scope opened (see
 * `snapshot`): a guarded repository keeps the context it prepared from one, and
 * reads any other afresh on every call, since its records may have changed.
 *
 * @example
 * isSealed(currentScope()?.context ?? {}); // true for a scope of literals and Dates
 */
export function isSealed(context: object): boolean {
  return sealed.has(context);
}

/** The time of a real Date (of any realm), or undefined for anything else. */
function dateValue(value: object): number | undefined {
  try {
    return Date.prototype.getTime.call(value);
  } catch {
    return undefined;
  }
}

function invalid(field: string, message: string): PurposeViolationError {
  return new PurposeViolationError(denyOf({ id: '' }, { id: '' }, 'invalid_input', 'scope', 'scope', message, { field }));
}
