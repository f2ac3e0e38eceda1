/**
 * `purpose-guard/express`: Express 5 middleware that opens a purpose scope per
 * request from the route's declaration, and an error handler that turns
 * `PurposeViolationError` into an RFC 9457 problem response.
 *
 * @packageDocumentation
 */
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { resolveDeclaration, type PurposeDeclaration } from '../../scope/declaration.js';
import { PROBLEM_CONTENT_TYPE, toProblem, violationOf, type ProblemOptions } from '../../scope/problem.js';
import { type PurposeScopeInput, runWithPurpose } from '../../scope/scope.js';
import { type DeclareFor, purposeScopes } from '../../scope/typed.js';
import type { Catalogue, CatalogueSpec } from '../../catalogue/types.js';

export type { PurposeDeclaration } from '../../scope/declaration.js';
export { toProblem, type ProblemOptions, type PurposeProblem } from '../../scope/problem.js';

/**
 * Route-level middleware: the rest of the request (later middleware, the
 * handler, everything they await) runs with this purpose in scope, so guarded
 * repositories check every call against it.
 *
 * @example
 * app.get('/customers/:id', purpose('customer-support'), async (req, res) => {
 *   res.json(await customers.findById(req.params.id));
 * });
 * app.get('/invoices', purpose((req) => ({ purpose: 'billing', actor: req.get('x-user') })), listInvoices);
 */
export function purpose<const P extends string>(declaration: PurposeDeclaration<Request, P>): RequestHandler {
  return function purposeScope(req, _res, next) {
    let input: PurposeScopeInput;
    try {
      input = resolveDeclaration(declaration as PurposeDeclaration<Request>, req);
    } catch (error) {
      next(error);
      return;
    }
    let entered = false;
    try {
      runWithPurpose(input, () => {
        entered = true;
        next();
      });
    } catch (error) {
      // A malformed declaration is rejected before the scope opens; an error thrown from next itself is Express's to route.
      if (entered) throw error;
      next(error);
    }
  };
}

/**
 * `purpose`, bound to a guard's catalogue: a route whose purpose the catalogue
 * does not declare fails to compile, or, for an id that only exists at run
 * time, throws when the route is declared (a literal) or answers 403 (a
 * declaration function's answer, checked on every request).
 *
 * @example
 * const purpose = purposeFor(guard);
 * app.get('/support/customers/:id', purpose('customer-support'), handler);
 * app.get('/x', purpose('customer-suport'), handler); // compile error: not a declared purpose
 */
export function purposeFor<const C extends CatalogueSpec>(guard: { readonly catalogue: Catalogue<C> }): DeclareFor<C, Request, RequestHandler> {
  // The typed overloads are the caller's; the declaration is checked again at run time by `declare`.
  const declare = purposeScopes(guard).declare as (declaration: PurposeDeclaration<Request>) => PurposeDeclaration<Request>;
  return ((declaration: PurposeDeclaration<Request>) => purpose(declare(declaration))) as DeclareFor<C, Request, RequestHandler>;
}

/**
 * Error middleware: a `PurposeViolationError` becomes a 403 (503 for
 * `audit_unavailable`) `application/problem+json` response built from the
 * decision's reason and message, never from the request or the context.
 * Other errors go to the next error handler.
 *
 * @example
 * app.use(purposeErrorHandler());
 */
export function purposeErrorHandler(options: ProblemOptions = {}): ErrorRequestHandler {
  return function purposeViolationToProblem(error, _req, res, next) {
    const decision = violationOf(error);
    if (decision === undefined || res.headersSent) {
      next(error);
      return;
    }
    const problem = toProblem(decision, options);
    res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  };
}
