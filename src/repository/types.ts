import type { CatalogueSpec, DataCategoryOf, SubjectOf } from '../catalogue/types.js';
import type { AnyGuard, Guard } from '../guard/guard.js';
import type { PermittedPurpose } from '../guard/types.js';
import type { FieldCategories } from '../minimise/types.js';
import type { UseContext } from '../rules/context.js';

/**
 * The kind of data operation a method performs; recorded in audit events.
 *
 * @example
 * const op: Operation = 'read';
 */
export type Operation = 'read' | 'create' | 'update' | 'delete' | 'export' | (string & {});

/**
 * The names of `R`'s methods (own or inherited, string-keyed).
 *
 * @example
 * type M = MethodKeys<CustomerRepository>; // 'findById' | 'updateEmail'
 */
export type MethodKeys<R> = {
  [K in keyof R]-?: K extends string ? (R[K] extends (...args: never) => unknown ? K : never) : never;
}[keyof R];

/**
 * The arguments of method `K` of `R` (for an overloaded method, the last overload's, as TypeScript's `Parameters`).
 *
 * @example
 * type A = ArgsOf<CustomerRepository, 'findById'>; // [id: string]
 */
export type ArgsOf<R, K extends keyof R> = R[K] extends (...args: infer A) => unknown ? A : never;

/**
 * How one method touches personal data, for one subject category `S`.
 *
 * @example
 * const spec: MethodSpec<DefaultCatalogue, 'customer', [id: string]> = {
 *   subject: 'customer',
 *   operation: 'read',
 *   dataCategories: ['identity', 'contact'],
 *   fields: { id: 'account', name: 'identity', email: 'contact', cardLast4: 'payment' },
 *   context: (id) => ({ subjectId: id }),
 * };
 */
export interface MethodSpec<C extends CatalogueSpec, S extends SubjectOf<C>, A extends readonly unknown[]> {
  /** Whose data the method touches. */
  readonly subject: S;
  /** What it does with it; recorded in audit events (`read`, `create`...). */
  readonly operation: Operation;
  /**
   * The data categories the method needs: checked against the purpose before
   * the call (`data_category_not_permitted` denies). A list, or a function of
   * the call's arguments (say, the columns an update writes).
   */
  readonly dataCategories?: readonly DataCategoryOf<C>[] | ((...args: A) => readonly DataCategoryOf<C>[]) | undefined;
  /** Fix the purpose of this method: used instead of the scope's (the scope's context still applies). */
  readonly purpose?: PermittedPurpose<C, S> | undefined;
  /**
   * Field -> data category of what the method returns: the result is minimised to what the purpose permits.
   * Copied (deeply) and frozen when the repository is wrapped: changing this map later changes nothing.
   */
  readonly fields?: FieldCategories<DataCategoryOf<C>> | undefined;
  /**
   * More context from the call's arguments (`subjectId`, `collectedFor`, `relationshipEndedAt`...), over the scope's.
   * Record purposes and `collectedFor` are plain strings here, as they come from a database; undeclared ones are
   * `invalid_context` when the call is checked.
   */
  readonly context?: ((...args: A) => UseContext<string, DataCategoryOf<C>>) | undefined;
  /**
   * Check with `checkUseAsync`, which awaits the audit record before the call
   * (strict audit). Default: `true` for `async` methods, `false` otherwise;
   * set `true` for a method that returns a promise without being `async`.
   * A sync check (`checkUse`) records synchronously and reports a failed
   * asynchronous acknowledgement through `onAuditError` after the fact.
   * Generator methods go by their kind: an `async *` one is checked with
   * `checkUseAsync` at its stream's first `next()`; a `function *` one with
   * `checkUse`, and `async: true` on it is a start-up error.
   */
  readonly async?: boolean | undefined;
}

/**
 * A method spec for any subject category of `C`: a union discriminated on `subject`, so `purpose` is checked per subject.
 *
 * @example
 * const m: AnyMethodSpec<DefaultCatalogue, [string]> = { subject: 'employee', operation: 'read', purpose: 'employment.administration' };
 */
export type AnyMethodSpec<C extends CatalogueSpec, A extends readonly unknown[]> = {
  [S in SubjectOf<C>]: MethodSpec<C, S, A>;
}[SubjectOf<C>];

/**
 * The spec of a repository: one entry per method that touches personal data.
 * Method names are checked against the repository, subject and purpose ids against the catalogue.
 *
 * @example
 * const spec: RepositorySpec<CustomerRepo, DefaultCatalogue> = {
 *   findById: { subject: 'customer', operation: 'read', fields: customerFields },
 * };
 */
export type RepositorySpec<R, C extends CatalogueSpec> = {
  readonly [K in MethodKeys<R>]?: AnyMethodSpec<C, ArgsOf<R, K>>;
};

/**
 * Options of `guardRepository`. Read by their own fields, as `createGuard` reads
 * its options (and the method specs likewise): a field inherited from a
 * prototype, a polluted `Object.prototype` included, is not configuration.
 *
 * @example
 * const options: GuardRepositoryOptions<DefaultCatalogue> = { guard, name: 'Customers', unlisted: 'deny' };
 */
export interface GuardRepositoryOptions<C extends CatalogueSpec> {
  /**
   * The guard that decides. A `Guard<C>` types the spec with its catalogue (subjects,
   * purposes, data categories checked at compile time); an `AnyGuard` (a wrapper's,
   * an adapter's) leaves the spec's ids plain strings, checked when the repository is
   * wrapped and on every call.
   */
  readonly guard: Guard<C> | AnyGuard;
  /** The repository's name in audit events and messages (`CustomerRepo.findById`). Default: the class name, or `repository`. */
  readonly name?: string | undefined;
  /**
   * Methods the spec does not list: `deny` (default) makes calling them throw
   * `PurposeViolationError`; `passthrough` calls them unchecked (use it only for
   * methods that touch no personal data, such as `close`).
   */
  readonly unlisted?: 'deny' | 'passthrough' | undefined;
}
