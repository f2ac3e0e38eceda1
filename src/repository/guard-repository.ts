import type { CatalogueSpec } from '../catalogue/types.js';
import { denyOf } from '../compile/compile.js';
import { PurposeViolationError } from '../decision/error.js';
import type { Decision, } from '../decision/types.js';
import { fieldMapCategories, frozenFieldMap } from '../minimise/categories.js';
import { minimise } from '../minimise/minimise.js';
import type { FieldCategories } from '../minimise/types.js';
import { currentScope, } from '../scope/scope.js';
import { decideAsync, decideSync, type LooseGuard, type Plan } from './call.js';
import { guardedAsyncStream, guardedStream } from './stream.js';
import type { GuardRepositoryOptions, RepositorySpec } from './types.js';
import { ownField } from '../rules/own.js';

type AnyFn = (...args: unknown[]) => unknown;

const AsyncFunctionPrototype: unknown = Object.getPrototypeOf(async () => {});
const AsyncGeneratorFunctionPrototype: unknown = Object.getPrototypeOf(async function* () {});
const GeneratorFunctionPrototype: unknown = Object.getPrototypeOf(function* () {});
const objectMethods = new Set<unknown>(Object.getOwnPropertyNames(Object.prototype).map((k) => (Object.prototype as Record<string, unknown>)[k]));

/**
 * Wraps a repository (a plain object or a class instance) so that every listed
 * method is checked before it runs: the purpose comes from the scope
 * (`runWithPurpose`) or the method's spec, the context from the scope and the
 * spec. A deny throws `PurposeViolationError` before the real method is called,
 * so no query runs; an allow calls it (with the original object as `this`, so
 * `#private` fields work) and minimises the result when the spec maps its fields.
 *
 * `async` methods are checked with `checkUseAsync` (the audit record is
 * acknowledged before the call, in strict mode); other methods with the sync
 * `checkUse`, whose audit record is accepted synchronously and acknowledged
 * later. Generator methods (`async *`, `function *`) return an iterator that
 * decides at its first `next()` (an `async *` one awaits the audit record
 * first) under the scope of the call, and minimises every value yielded.
 * Methods the spec does not list throw unless `unlisted: 'passthrough'`.
 * The result has the repository's own type.
 *
 * What the wrapper hands out: every function read through it (a property, a
 * property descriptor's value) is the guarded one, and Object.prototype's
 * methods see the wrapper (`valueOf()` answers the wrapper). Any other value
 * is the repository's own, as it is: a field holding a database handle, an
 * accessor's functions, the prototype, and what a method returns (a method
 * that returns `this` returns the repository). The wrapper guards the calls
 * made through it; keep handles that reach the data out of public fields
 * (`#db`), or they can be used without a check.
 *
 * @example
 * const customers = guardRepository(new CustomerRepo(db), {
 *   findById: { subject: 'customer', operation: 'read', fields: customerFields },
 *   updateEmail: { subject: 'customer', operation: 'update', dataCategories: ['contact'] },
 * }, { guard });
 * await runWithPurpose({ purpose: 'customer-support' }, () => customers.findById('c-1'));
 */
export function guardRepository<R extends object, const C extends CatalogueSpec>(
  repo: R,
  spec: NoInfer<RepositorySpec<R, C>>,
  options: GuardRepositoryOptions<C>,
): R {
  if (repo === null || (typeof repo !== 'object' && typeof repo !== 'function')) throw new TypeError('guardRepository: repo must be an object');
  if (options === null || typeof options !== 'object') throw new TypeError('guardRepository: options must be an object with a guard');
  // Own fields only, as createGuard reads its options: a planted `unlisted: 'passthrough'` on Object.prototype would
  // open every method, and the plans would keep it after the pollution is gone.
  const guard = ownField(options, 'guard') as LooseGuard | undefined;
  if (guard === null || typeof guard !== 'object') throw new TypeError('guardRepository: options.guard must be a guard (an own field of the options)');
  const unlisted = ownField(options, 'unlisted');
  const name = (ownField(options, 'name') as string | undefined) ?? repositoryName(repo);
  const passthrough = unlisted === 'passthrough';
  if (unlisted !== undefined && unlisted !== 'deny' && !passthrough) {
    throw new TypeError(`guardRepository: unlisted must be 'deny' or 'passthrough'`);
  }
  const plans = planAll(repo, spec as Record<string, unknown>, guard, name);
  const cache = new Map<PropertyKey, { readonly fn: unknown; readonly wrapped: unknown }>();

  const wrap = (key: PropertyKey, fn: AnyFn): unknown => {
    const plan = typeof key === 'string' ? plans.get(key) : undefined;
    if (plan !== undefined) return guarded(repo, fn, plan, guard);
    // Object.prototype's methods see the wrapper, not the repository: bound to it, valueOf() answered the raw object.
    if (objectMethods.has(fn)) return fn.bind(proxy);
    if (passthrough) return fn.bind(repo);
    const method = `${name}.${String(key)}`;
    return () => {
      const scope = currentScope();
      const decision = denyOf({ id: '' }, { id: scope?.purpose ?? '' }, 'invalid_input', 'scope', method,
        `${method} is not listed in the repository's spec, so it cannot be called through the guard: declare its subject category and data categories, or pass unlisted: 'passthrough' if it touches no personal data.`,
        { field: 'method' });
      // Recorded, not awaited: the call is refused either way, and record() reports its own failures.
      void guard.record(decision, scope?.context, { method });
      throw new PurposeViolationError(decision);
    };
  };

  /** What the wrapper hands out for a property's value: a function guarded (the same one each time), anything else as it is. */
  const exposed = (key: PropertyKey, value: unknown): unknown => {
    if (typeof value !== 'function') return value;
    const hit = cache.get(key);
    if (hit !== undefined && hit.fn === value) return hit.wrapped;
    const wrapped = wrap(key, value as AnyFn);
    cache.set(key, { fn: value, wrapped });
    return wrapped;
  };

  // The proxy's target is a blank stand-in, not the repository: a frozen repository's methods are
  // non-configurable, and a Proxy may not report a different value for those of its own target.
  const standIn = Object.create(Object.getPrototypeOf(repo) as object | null) as object;
  const proxy: object = new Proxy(standIn, {
    // The repository, not the proxy, is the receiver: getters that read #private fields keep working.
    get: (_target, key) => exposed(key, Reflect.get(repo, key, repo)),
    set: (_target, key, value) => Reflect.set(repo, key, value, repo),
    has: (_target, key) => Reflect.has(repo, key),
    ownKeys: () => Reflect.ownKeys(repo),
    getOwnPropertyDescriptor(_target, key) {
      const descriptor = Reflect.getOwnPropertyDescriptor(repo, key);
      if (descriptor === undefined) return undefined;
      // Reported as configurable because the stand-in does not hold the property: the invariant that a
      // non-configurable property report its target's value binds only properties of the target, so the
      // value may be the guarded function `get` returns. Reporting the raw one handed out unguarded methods
      // (Object.getOwnPropertyDescriptors(repo), a mixin's copy). Accessors keep their functions: a getter
      // is not a method the spec lists, and reading through the wrapper calls it as `get` does.
      if (!('value' in descriptor)) return { ...descriptor, configurable: true };
      return { ...descriptor, value: exposed(key, descriptor.value), configurable: true };
    },
    defineProperty: (_target, key, descriptor) => Reflect.defineProperty(repo, key, descriptor),
    deleteProperty: (_target, key) => Reflect.deleteProperty(repo, key),
    getPrototypeOf: () => Reflect.getPrototypeOf(repo),
  });
  return proxy as R;
}

function guarded(repo: object, fn: AnyFn, plan: Plan, guard: LooseGuard): AnyFn {
  const minimising = plan.fields !== undefined && guard.mode !== 'monitor';
  const finish = (decision: Decision, result: unknown): unknown => (minimising ? minimise(result, plan.fields as FieldCategories, decision, guard.catalogue) : result);
  const kind: unknown = Object.getPrototypeOf(fn);
  // Generators first: an `async *` method is not an async function, and neither kind runs its body when called.
  // The scope is the call's, read now; the decision waits for the first next(), before any data is touched.
  if (kind === AsyncGeneratorFunctionPrototype) {
    return function guardedAsyncGenerator(...args: unknown[]): unknown {
      const scope = currentScope();
      return guardedAsyncStream(() => decideAsync(plan, guard, scope, args), () => Reflect.apply(fn, repo, args), finish);
    };
  }
  if (kind === GeneratorFunctionPrototype) {
    return function guardedGenerator(...args: unknown[]): unknown {
      const scope = currentScope();
      return guardedStream(() => decideSync(plan, guard, scope, args), () => Reflect.apply(fn, repo, args), finish);
    };
  }
  const isAsync = plan.async ?? kind === AsyncFunctionPrototype;

  if (isAsync) {
    return async function guardedAsync(...args: unknown[]): Promise<unknown> {
      const decision = await decideAsync(plan, guard, currentScope(), args);
      if (!decision.allowed) throw new PurposeViolationError(decision);
      const result = await Reflect.apply(fn, repo, args);
      return finish(decision, result);
    };
  }
  return function guardedSync(...args: unknown[]): unknown {
    const decision = decideSync(plan, guard, currentScope(), args);
    if (!decision.allowed) throw new PurposeViolationError(decision);
    const result = Reflect.apply(fn, repo, args);
    if (!minimising) return result;
    if (isThenable(result)) return Promise.resolve(result).then((r) => finish(decision, r));
    return finish(decision, result);
  };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function repositoryName(repo: object): string {
  const ctor = (repo as { constructor?: { name?: unknown } }).constructor;
  const n = typeof ctor === 'function' ? ctor.name : undefined;
  return typeof n === 'string' && n !== '' && n !== 'Object' ? n : 'repository';
}

/** Validates the spec once, at wrap time: a wrong spec is a start-up error, not a silent allow. */
function planAll(repo: object, spec: Record<string, unknown>, guard: LooseGuard, name: string): Map<string, Plan> {
  if (spec === null || typeof spec !== 'object') throw new TypeError('guardRepository: spec must be an object');
  const subjects = (guard.catalogue as unknown as { subjects: object }).subjects;
  const plans = new Map<string, Plan>();
  for (const key of Object.keys(spec)) {
    const m = spec[key] as object | undefined;
    if (m === undefined) continue;
    const where = `guardRepository: ${name}.${key}`;
    if (typeof (repo as Record<string, unknown>)[key] !== 'function') throw new TypeError(`${where} is in the spec but is not a method of the repository`);
    if (m === null || typeof m !== 'object') throw new TypeError(`${where}: the method spec must be an object`);
    // Own fields only: a field the spec leaves out must not come from a polluted Object.prototype (a planted
    // `purpose` fixes a purpose, a planted `context` lends consents, a planted `async: false` skips the awaited record).
    const subject = ownField(m, 'subject');
    const operation = ownField(m, 'operation');
    const categories = ownField(m, 'dataCategories');
    const purpose = ownField(m, 'purpose');
    const context = ownField(m, 'context');
    const fields = ownField(m, 'fields');
    const async = ownField(m, 'async');
    if (typeof subject !== 'string' || !Object.hasOwn(subjects, subject)) throw new TypeError(`${where}: subject must be a subject category of the guard's catalogue`);
    if (typeof operation !== 'string' || operation === '') throw new TypeError(`${where}: operation must be a non-empty string`);
    if (categories !== undefined && typeof categories !== 'function' && !Array.isArray(categories)) throw new TypeError(`${where}: dataCategories must be a list or a function`);
    if (purpose !== undefined && typeof purpose !== 'string') throw new TypeError(`${where}: purpose must be a purpose id`);
    if (context !== undefined && typeof context !== 'function') throw new TypeError(`${where}: context must be a function`);
    if (fields !== undefined && (fields === null || typeof fields !== 'object')) throw new TypeError(`${where}: fields must be a field map`);
    if (async !== undefined && typeof async !== 'boolean') throw new TypeError(`${where}: async must be a boolean`);
    if (async === true && Object.getPrototypeOf((repo as Record<string, unknown>)[key]) === GeneratorFunctionPrototype) {
      throw new TypeError(`${where}: async: true cannot apply to a generator method: its iterator is synchronous, so it cannot wait for the audit record (make it async *)`);
    }
    // A copy: disclosure is checked against the categories the map names now, so a field added to the caller's map later must not be returned.
    const map = fields === undefined ? undefined : frozenFieldMap(fields as FieldCategories, `${where}: fields`);
    plans.set(key, {
      subject,
      purpose,
      categories: categories === undefined ? undefined : typeof categories === 'function' ? (categories as Plan['categories']) : Object.freeze([...(categories as string[])]),
      context: context as Plan['context'],
      fields: map,
      async,
      meta: Object.freeze({ operation, method: `${name}.${key}`, via: 'guardRepository' }),
      fieldCategories: map === undefined ? [] : [...fieldMapCategories(map, new Set<string>())],
      cache: new WeakMap(),
      bareCache: new Map(),
      dynamic: typeof categories === 'function' || context !== undefined,
      addsNothing: categories === undefined && context === undefined && fields === undefined,
      memo: undefined,
    });
  }
  return plans;
}
