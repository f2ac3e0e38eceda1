import type { Catalogue, CatalogueSpec, DataCategoryOf, PurposeOf } from '../catalogue/types.js';
import { denyOf } from '../compile/compile.js';
import { PurposeViolationError } from '../decision/error.js';
import { echo, listIds } from '../decision/messages.js';
import type { ContextInputBound } from '../guard/types.js';
import type { UseContext } from '../rules/context.js';
import { type PurposeDeclaration, resolveDeclaration } from './declaration.js';
import { type PurposeScopeInput, runWithPurpose } from './scope.js';

/**
 * A scope input for a catalogue: a declared purpose, and the context fields.
 * The records' purposes are plain strings (they usually come from a database;
 * an undeclared one is an `invalid_context` deny at the first check), the data
 * categories the catalogue's.
 *
 * @example
 * const input: ScopeInputOf<DefaultCatalogue, 'billing'> = { purpose: 'billing', actor: 'svc', dataCategories: ['payment'] };
 */
export type ScopeInputOf<C extends CatalogueSpec, P extends PurposeOf<C>> = { readonly purpose: P } & UseContext<string, DataCategoryOf<C>>;

/**
 * A purpose id where a scope is opened or a route declared: a literal the
 * catalogue declares, or a plain `string` known only at run time (refused when
 * the scope opens or the route is declared, `unknown_purpose`); an undeclared
 * literal is the error naming it.
 */
type PurposeIdArg<C extends CatalogueSpec, P extends string> = string extends P
  ? P
  : P extends PurposeOf<C>
    ? P
    : `✖ "${P}" is not a purpose declared in this catalogue`;

/** A scope input answered by a declaration function, with a purpose `P` of any kind (checked by `Answering`). */
type Answer<C extends CatalogueSpec, P extends string> = { readonly purpose: P } & UseContext<string, DataCategoryOf<C>>;

/**
 * A declaration function, typed twice: once to infer the purpose `P` it
 * answers (a literal stays a literal), once to check it (`PurposeIdArg`), so
 * an undeclared literal answer is an error naming it and a `string` answer,
 * known only at run time, is checked on every request.
 */
type Answering<C extends CatalogueSpec, Req, P extends string> = ((request: Req) => P | Answer<C, P>) &
  ((request: Req) => PurposeIdArg<C, NoInfer<P>> | Answer<C, PurposeIdArg<C, NoInfer<P>>>);

/**
 * What `run` and `declare` accept as a scope input written in place: a
 * declared purpose (or a plain `string` known only at run time, refused when
 * the scope opens), and context fields checked as `checkUse` checks its
 * context. A record purpose, data category or exception ground written as a
 * literal must be declared (a typo is a compile error), and so must every
 * field name, of the input and of its records; plain strings, as loaded from a
 * database, pass, and the run-time check refuses undeclared ones.
 *
 * @example
 * scopes.run({ purpose: 'marketing.notifications', consents: [{ purpose: 'marketng', grantedAt }] }, fn); // compile error: not a declared purpose
 */
export type ScopeInputBound<C extends CatalogueSpec, X> = {
  readonly purpose: X extends { readonly purpose: infer P extends string } ? PurposeIdArg<C, P> : PurposeOf<C>;
} & ContextInputBound<C, Omit<X, 'purpose'>>;

/**
 * A route's purpose declaration for a catalogue: a declared purpose id, a
 * scope input, or a function of the request returning either.
 *
 * @example
 * const d: DeclarationOf<DefaultCatalogue, Request, 'billing'> = (req) => ({ purpose: 'billing', actor: req.get('x-user') ?? 'unknown' });
 */
export type DeclarationOf<C extends CatalogueSpec, Req, P extends PurposeOf<C>> = P | ScopeInputOf<C, P> | ((request: Req) => P | ScopeInputOf<C, P>);

/**
 * A typed declarer: takes a declared purpose id, a function of the request
 * answering one (or a scope input), or a scope input written in place, whose
 * literal ids are checked (`ScopeInputBound`). A purpose known only at run time
 * (`string`) is accepted and checked when the route is declared, or, answered
 * by a declaration function, on every request (`unknown_purpose`). What
 * `purposeScopes(guard).declare` and the Express and Fastify `purposeFor(guard)` are.
 *
 * @example
 * const purpose: DeclareFor<typeof catalogue, Request, RequestHandler> = purposeFor(guard);
 * purpose({ purpose: 'billing', dataCategories: ['payment'] });
 */
export interface DeclareFor<C extends CatalogueSpec, Req, Out> {
  <const P extends string>(declaration: Answering<C, Req, P>): Out;
  <const P extends string>(declaration: PurposeIdArg<C, P>): Out;
  <const X extends ScopeInputBound<C, X>>(declaration: X): Out;
}

/**
 * Purpose scopes bound to one catalogue: a purpose it does not declare is a
 * compile error where the scope is opened or the route declared, and, for ids
 * that only exist at run time, an error before anything runs under it.
 *
 * @example
 * const scopes = purposeScopes(guard);
 * scopes.run({ purpose: 'customer-support' }, () => customers.findById(id));
 * scopes.run({ purpose: 'marketing.anything' }, fn); // compile error: not a declared purpose
 */
export interface PurposeScopes<C extends CatalogueSpec> {
  /**
   * `runWithPurpose`, for declared purposes only: an undeclared literal is a
   * compile error, and an undeclared id known only at run time throws
   * `PurposeViolationError` (`unknown_purpose`) and `fn` does not run.
   *
   * @example
   * await scopes.run({ purpose: 'billing', actor: 'svc-invoices' }, () => invoices.listFor(id));
   */
  run<const X extends ScopeInputBound<C, X>, R>(input: X, fn: () => R): R;
  /**
   * A route's purpose declaration (an id, a scope input, or a function of the
   * request), checked against the catalogue: a literal id or input now (an
   * undeclared one throws a `TypeError` at start-up, not on the first request),
   * a function's answer on every request (`PurposeViolationError`, `unknown_purpose`).
   *
   * @example
   * app.get('/support/customers/:id', purpose(scopes.declare('customer-support')), handler);
   */
  declare<const P extends string, Req = unknown>(declaration: Answering<C, Req, P>): PurposeDeclaration<Req>;
  declare<const P extends string>(declaration: PurposeIdArg<C, P>): PurposeDeclaration<unknown>;
  declare<const X extends ScopeInputBound<C, X>>(declaration: X): PurposeDeclaration<unknown>;
}

/**
 * Binds purpose scopes to a guard's catalogue (see `PurposeScopes`).
 *
 * @example
 * const scopes = purposeScopes(guard);
 * const declaration = scopes.declare('customer-support');
 */
export function purposeScopes<const C extends CatalogueSpec>(guard: { readonly catalogue: Catalogue<C> }): PurposeScopes<C> {
  const catalogue = guard.catalogue as Catalogue;
  const refuse = (purpose: string): PurposeViolationError =>
    new PurposeViolationError(
      denyOf({ id: '' }, { id: purpose }, 'unknown_purpose', 'scope', 'purposes',
        `${echo(purpose)} is not a purpose declared in catalogue ${catalogue.version}, so no scope may be opened for it. Declared: ${listIds(Object.keys(catalogue.purposes))}.`),
    );
  /** The input's purpose if the catalogue does not declare it. Anything that is not a string purpose is left to runWithPurpose, which names what is wrong with it. */
  const undeclared = (input: unknown): string | undefined => {
    const purpose = typeof input === 'object' && input !== null ? (input as { purpose?: unknown }).purpose : input;
    return typeof purpose === 'string' && !Object.hasOwn(catalogue.purposes, purpose) ? purpose : undefined;
  };
  return Object.freeze({
    run<R>(input: PurposeScopeInput, fn: () => R): R {
      const bad = undeclared(input);
      if (bad !== undefined) throw refuse(bad);
      return runWithPurpose(input, fn);
    },
    declare<Req>(declaration: PurposeDeclaration<Req>): PurposeDeclaration<Req> {
      if (typeof declaration !== 'function') {
        const bad = undeclared(declaration);
        if (bad !== undefined) throw new TypeError(`purposeScopes.declare: ${refuse(bad).message}`);
        return declaration;
      }
      return (request: Req) => {
        const input = resolveDeclaration(declaration, request);
        const bad = undeclared(input);
        if (bad !== undefined) throw refuse(bad);
        return input;
      };
    },
  }) as unknown as PurposeScopes<C>;
}
