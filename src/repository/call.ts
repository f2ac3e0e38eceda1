/**
 * How a guarded repository call is decided: its purpose (the method's, or the
 * scope's), its context (the scope's with the method's own over it, prepared
 * once per scope when it can be), and the wrapper's own refusals.
 */
import type { Catalogue } from '../catalogue/types.js';
import { denyOf } from '../compile/compile.js';
import type { Decision, DenyDecision } from '../decision/types.js';
import type { DecisionMeta } from '../audit/types.js';
import { permittedDataCategories } from '../minimise/permitted.js';
import type { FieldCategories } from '../minimise/types.js';
import { isPlainRecord } from '../rules/context.js';
import { isSealed, noPurposeInScope, type PurposeScope, scopeContextFor } from '../scope/scope.js';

/** The guard's methods with the catalogue types erased: the spec was checked at compile time, the guard checks again at run time. */
export interface LooseGuard {
  readonly catalogue: Catalogue;
  readonly mode: 'enforce' | 'monitor';
  checkUse(subject: string, purpose: string, context?: unknown, meta?: DecisionMeta): Decision;
  checkUseAsync(subject: string, purpose: string, context?: unknown, meta?: DecisionMeta): Promise<Decision>;
  record(decision: Decision, context?: unknown, meta?: DecisionMeta): Promise<void>;
  prepareContext(context: unknown): object;
}

/** One listed method, with everything a call needs resolved once. */
export interface Plan {
  readonly subject: string;
  readonly purpose: string | undefined;
  readonly categories: readonly string[] | ((...args: unknown[]) => readonly string[]) | undefined;
  readonly context: ((...args: unknown[]) => object) | undefined;
  readonly fields: FieldCategories | undefined;
  readonly async: boolean | undefined;
  readonly meta: DecisionMeta;
  /** Every category the field map names: the ones a purpose permits are disclosed, so they are checked too. */
  readonly fieldCategories: readonly string[];
  /** Contexts built for a scope's context object (or for none) and purpose, when they depend on nothing else. */
  readonly cache: WeakMap<object, Map<string, object>>;
  readonly bareCache: Map<string, object>;
  /** The context depends on the call's arguments (a `context` or `dataCategories` function). */
  readonly dynamic: boolean;
  /** The method adds nothing to the scope's context: pass it through untouched. */
  readonly addsNothing: boolean;
  /** The last context built, for the same scope object and purpose: one identity check on the common path. */
  memo: { base: object | undefined; purpose: string; context: object | undefined } | undefined;
}

/**
 * Decides a call with `checkUseAsync` (the audit record acknowledged first, in
 * strict mode). The wrapper's own refusals (no purpose, a failed spec function)
 * are recorded too, and awaited, before they are returned.
 */
export function decideAsync(plan: Plan, guard: LooseGuard, scope: PurposeScope | undefined, args: unknown[]): Promise<Decision> {
  // Not an async function: returning checkUseAsync's promise from one would wrap it in another (two more
  // microtask turns per call, about 3% of a point query).
  const purpose = plan.purpose ?? scope?.purpose;
  let context: ReturnType<typeof callContext>;
  try {
    context = callContext(plan, guard, purpose, scope, args);
  } catch (error) {
    return Promise.reject(error);
  }
  if (context instanceof Refusal) {
    const { denied } = context;
    return guard.record(denied, context.context, plan.meta).then(() => denied);
  }
  return guard.checkUseAsync(plan.subject, purpose as string, context, plan.meta);
}

/** Decides a call with the synchronous `checkUse`; the wrapper's own refusals are recorded, not awaited (the call is refused either way). */
export function decideSync(plan: Plan, guard: LooseGuard, scope: PurposeScope | undefined, args: unknown[]): Decision {
  const purpose = plan.purpose ?? scope?.purpose;
  const context = callContext(plan, guard, purpose, scope, args);
  if (context instanceof Refusal) {
    void guard.record(context.denied, context.context, plan.meta);
    return context.denied;
  }
  return guard.checkUse(plan.subject, purpose as string, context, plan.meta);
}

/** The wrapper's own deny of a call, and the context to record it with. */
class Refusal {
  constructor(
    readonly denied: DenyDecision,
    readonly context: object | undefined,
  ) {}
}

/** The context a call is checked with, or the wrapper's refusal: no purpose in scope, or a spec function that failed. */
function callContext(plan: Plan, guard: LooseGuard, purpose: string | undefined, scope: PurposeScope | undefined, args: unknown[]): object | undefined | Refusal {
  if (purpose === undefined) return new Refusal(noPurposeInScope(plan.subject, plan.meta.method as string), undefined);
  const base = scopeContextFor(scope, purpose);
  const context = contextFor(plan, guard, purpose, base, args);
  return context instanceof SpecFault ? new Refusal(specDeny(plan, purpose, context), base) : context;
}

/** A spec function (`context`, `dataCategories`) that threw or answered something it may not. */
class SpecFault {
  constructor(
    readonly field: 'context' | 'dataCategories',
    readonly problem: string,
  ) {}
}

function specDeny(plan: Plan, purpose: string, fault: SpecFault): DenyDecision {
  const method = plan.meta.method as string;
  return denyOf({ id: plan.subject }, { id: purpose }, 'invalid_input', 'scope', method,
    `The ${fault.field} function of ${method}'s spec ${fault.problem}, so the call cannot be checked: fix the function, or the arguments it was called with.`,
    { field: fault.field });
}

/**
 * The scope's context with the method's own over it. `dataCategories` is what
 * the method needs plus what its result will disclose (the mapped fields the
 * purpose permits), so special-care fields are never returned without the
 * consent rule 6 asks for. When it depends only on the scope and purpose, and
 * the scope was copied whole (`isSealed`), it is prepared once
 * (`guard.prepareContext`) and cached: later calls under the scope skip reading
 * and validating it, and allocate nothing.
 */
function contextFor(plan: Plan, guard: LooseGuard, purpose: string, base: object | undefined, args: unknown[]): object | undefined | SpecFault {
  if (plan.addsNothing && base === undefined) return undefined;
  if (!plan.dynamic) {
    const memo = plan.memo;
    // Only a sealed scope's context is ever kept (below), so a hit needs no second look.
    if (memo !== undefined && memo.base === base && memo.purpose === purpose) return memo.context;
    // A scope holding a record it could not copy (a class instance) may change under it: read it afresh every call.
    if (base !== undefined && !isSealed(base)) return build(plan, guard, purpose, base, undefined, plan.categories as readonly string[] | undefined);
    const byPurpose = base === undefined ? plan.bareCache : (plan.cache.get(base) ?? new Map<string, object>());
    let context = byPurpose.get(purpose);
    if (context === undefined) {
      // Read and validated once per scope (and purpose), then every call under the scope is a lookup.
      const built = build(plan, guard, purpose, base, undefined, plan.categories as readonly string[] | undefined);
      context = built === undefined ? undefined : guard.prepareContext(built);
      if (base !== undefined && byPurpose.size === 0) plan.cache.set(base, byPurpose);
      if (context !== undefined && byPurpose.size < 64) byPurpose.set(purpose, context);
    }
    plan.memo = { base, purpose, context };
    return context;
  }
  return fromSpec(plan, guard, purpose, base, args);
}

/**
 * The context of a call whose spec computes it from the arguments. A function
 * that throws, or answers something other than a list (`dataCategories`) or a
 * plain object (`context`), is a fault: skipping it would check less than the
 * spec declares (no category check, no `subjectId`), so the call is refused.
 */
function fromSpec(plan: Plan, guard: LooseGuard, purpose: string, base: object | undefined, args: unknown[]): object | undefined | SpecFault {
  let field: SpecFault['field'] = 'dataCategories';
  try {
    let categories = plan.categories as readonly string[] | undefined;
    if (typeof plan.categories === 'function') {
      const answer: unknown = plan.categories(...args);
      if (!Array.isArray(answer)) return new SpecFault(field, `answered ${describe(answer)}, not a list of data categories`);
      // A copy: the function's own array (a shared constant) is neither frozen here nor read again later.
      categories = [...(answer as string[])];
    }
    field = 'context';
    let extra: object | undefined;
    if (plan.context !== undefined) {
      const answer: unknown = plan.context(...args);
      if (answer === null || typeof answer !== 'object' || Array.isArray(answer) || !isPlainRecord(answer)) {
        return new SpecFault(field, `answered ${describe(answer)}, not a plain object`);
      }
      extra = answer;
    }
    return build(plan, guard, purpose, base, extra, categories);
  } catch {
    // Nothing of the error is read: its message may quote the arguments, and a getter on it could throw again.
    return new SpecFault(field, 'threw');
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object that is not plain (a class instance?)' : typeof value;
}

function build(plan: Plan, guard: LooseGuard, purpose: string, base: object | undefined, extra: object | undefined, declared: readonly string[] | undefined): object | undefined {
  let categories = declared;
  if (plan.fieldCategories.length > 0) {
    const permitted = permittedDataCategories(guard.catalogue, purpose);
    const disclosed = plan.fieldCategories.filter((c) => permitted.has(c));
    if (disclosed.length > 0) categories = [...new Set([...(declared ?? []), ...disclosed])];
  }
  if (categories === undefined && extra === undefined) return base;
  const out: Record<string, unknown> = { ...base, ...extra };
  if (categories !== undefined) out['dataCategories'] = Object.freeze(categories);
  return Object.freeze(out);
}
