/**
 * `purpose-guard/express`: Express 5 middleware that opens a purpose scope per
 * request from the route's declaration, and an error handler that turns
 * `PurposeViolationError` into an RFC 9457 problem response.
 *
 * @packageDocumentation
 */
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { denyOf } from '../../compile/compile.js';
import { PurposeViolationError } from '../../decision/error.js';
import { resolveDeclaration, type PurposeDeclaration } from '../../scope/declaration.js';
import { PROBLEM_CONTENT_TYPE, toProblem, violationOf, type ProblemOptions } from '../../scope/problem.js';
import { type PurposeScopeInput, runWithPurpose } from '../../scope/scope.js';
import { type DeclareFor, purposeScopes } from '../../scope/typed.js';
import type { Catalogue, CatalogueSpec } from '../../catalogue/types.js';
import type { DenyDecision } from '../../decision/types.js';
import { type DenialRecorder, type GuardForDeclarations, ownGuard, passRecorded, recorderOf } from '../record-denial.js';

export type { PurposeDeclaration } from '../../scope/declaration.js';
export { toProblem, type ProblemOptions, type PurposeProblem } from '../../scope/problem.js';

/**
 * Route-level middleware: the rest of the route (its later handlers, and
 * everything they await) runs with this purpose in scope, so guarded
 * repositories check every call against it.
 *
 * The scope is the route's, not the request's: once the request leaves the
 * route (`next('route')`, `next()` or `next(error)` on to later middleware, a
 * sibling route or an error handler), guarded calls no longer see it. And it
 * must be one of the route's handlers (`app.get(path, purpose(...), handler)`,
 * `app.route(path).all(purpose(...))`): mounted with `app.use` or `router.use`
 * (or called from another middleware), it would carry its purpose into routes
 * that did not declare it, so it refuses the request (`invalid_input`, 403).
 *
 * The route is told by identity: the scope holds while `req.route` is the
 * route and `req.params` is the very object Express dispatched it with (Express
 * gives every layer it enters a new `req.params` but leaves `req.route` set
 * when the request goes on to middleware, so a new `req.params` is how leaving
 * the route shows). A handler of
 * the route that replaces `req.params` (`req.params = parsed`, as some
 * validation middleware does) therefore ends the scope as leaving the route
 * does, and the guarded calls after it are denied (`no_purpose_in_scope`).
 * Change `req.params` in place (`Object.assign(req.params, parsed)`) or keep
 * the parsed values elsewhere (`res.locals`). Comparing by content instead
 * would keep the scope open in a later route or middleware that happens to
 * have the same params.
 *
 * Listeners on the request's own events (`req.on('data' | 'end')`) are called
 * from the socket, outside the scope, so guarded calls in them are denied
 * (`no_purpose_in_scope`): await the body (`await text(req)`,
 * `for await (const chunk of req)`), or bind the listener
 * (`req.on('end', AsyncResource.bind(onEnd))`).
 *
 * Pass `{ guard }` to have the denials it decides itself (a malformed scope,
 * a declaration that throws `PurposeViolationError`, a use outside a route)
 * recorded in the guard's audit trail before the 403 is answered, as the
 * guard records its own; `purposeFor(guard)` does it for you.
 *
 * @example
 * app.get('/customers/:id', purpose('customer-support'), async (req, res) => {
 *   res.json(await customers.findById(req.params.id));
 * });
 * app.get('/invoices', purpose((req) => ({ purpose: 'billing', actor: req.get('x-user') })), listInvoices);
 * app.get('/orders', purpose('billing', { guard }), listOrders); // its refusals are audited
 */
export function purpose<const P extends string>(declaration: PurposeDeclaration<Request, P>, options?: PurposeOptions): RequestHandler {
  // Read once, own only: changing the options later, or a polluted prototype, changes nothing.
  const guard = ownGuard(options);
  return function purposeScope(req, _res, next) {
    const route = routeOf(req, purposeScope);
    if (route === undefined) {
      passRecorded(guard, new PurposeViolationError(outsideRoute(declaration)), undefined, { via: 'express' }, next);
      return;
    }
    const meta = { via: 'express', method: routeName(req.method, route) };
    let input: PurposeScopeInput;
    try {
      input = resolveDeclaration(declaration as PurposeDeclaration<Request>, req);
    } catch (error) {
      passRecorded(guard, error, undefined, meta, next);
      return;
    }
    // Express 5's router gives each matched layer a new req.params and each matched route its req.route; while both
    // are still the ones this route was dispatched with, the request is in this route. By identity, never by content
    // (a later layer may have equal params): a handler that replaces req.params ends the scope (see the JSDoc). The
    // denial cannot say which it was: a replaced req.params and a middleware after the route look the same here.
    const inRoute = routeBound(req, route);
    let entered = false;
    try {
      runWithPurpose(input, () => {
        entered = true;
        next();
      }, { bound: inRoute });
    } catch (error) {
      // A malformed declaration is rejected before the scope opens; an error thrown from next itself is Express's to route.
      if (entered) throw error;
      passRecorded(guard, error, input, meta, next);
    }
  };
}

/**
 * The scope's bound: whether `req` is still in `route`, as dispatched (see
 * `purpose`). The bound lives as long as the scope, and the scope as long as
 * anything started under it (a pool's timer, a cached promise), so it holds
 * the request weakly: it does not keep the request, its response and socket
 * alive, and a request that is gone has left its route. Made here, not in the
 * middleware, so that the closure shares no variables with it (V8 keeps one
 * context per function for all its closures: one made there would keep `next`,
 * and through it the request, alive).
 */
function routeBound(req: Request, route: object): () => boolean {
  const request = new WeakRef(req);
  const params: unknown = req.params;
  return () => {
    const live = request.deref();
    return live !== undefined && live.route === route && live.params === params;
  };
}

/**
 * Options of `purpose`.
 *
 * @example
 * app.get('/orders', purpose('billing', { guard }), listOrders);
 */
export interface PurposeOptions {
  /**
   * The guard whose audit trail records the denials the middleware decides
   * itself, before it answers them (any object with the guard's `record`).
   * Without it they are answered but not recorded.
   */
  readonly guard?: DenialRecorder | undefined;
}

/**
 * The route being dispatched, if this middleware is one of its handlers;
 * `undefined` when it runs anywhere else (`app.use`, `router.use`, called
 * from another middleware). `req.route` is set by Express 5's router when it
 * dispatches a route, and stays set afterwards, so the route's own handler
 * list decides. Anything unreadable answers `undefined`: refused.
 */
function routeOf(req: Request, handler: RequestHandler): object | undefined {
  try {
    const route: unknown = req.route;
    if (typeof route !== 'object' || route === null) return undefined;
    const stack: unknown = (route as { readonly stack?: unknown }).stack;
    if (!Array.isArray(stack)) return undefined;
    for (const layer of stack as readonly unknown[]) {
      if (typeof layer === 'object' && layer !== null && (layer as { readonly handle?: unknown }).handle === handler) return route;
    }
  } catch {
    // A getter or Proxy that throws: not a route this middleware can be sure of.
  }
  return undefined;
}

/** The route as an audit event's `method`: the HTTP method and the route's path pattern, never the request's URL (it may hold ids). */
function routeName(method: string, route: object): string {
  const path: unknown = (route as { readonly path?: unknown }).path;
  return typeof path === 'string' ? `${method} ${path}` : method;
}

function outsideRoute(declaration: unknown): DenyDecision {
  return denyOf({ id: '' }, { id: typeof declaration === 'string' ? declaration : '' }, 'invalid_input', 'scope', 'scope',
    'purpose() ran outside a route\'s handlers (app.use, router.use, or called from another middleware), where its scope would reach routes that did not declare it: declare it on the route, app.get(path, purpose(...), handler).',
    { field: 'route' });
}

/**
 * `purpose`, bound to a guard's catalogue: a route whose purpose the catalogue
 * does not declare fails to compile, or, for an id that only exists at run
 * time, throws when the route is declared (a literal) or answers 403 (a
 * declaration function's answer, checked on every request). Every 403 it
 * decides itself is recorded with `guard.record` before it is answered; an
 * object with only a catalogue (no `record`) is enough, and then they are
 * answered without being recorded.
 *
 * @example
 * const purpose = purposeFor(guard);
 * app.get('/support/customers/:id', purpose('customer-support'), handler);
 * app.get('/x', purpose('customer-suport'), handler); // compile error: not a declared purpose
 */
export function purposeFor<const C extends CatalogueSpec>(guard: GuardForDeclarations<Catalogue<C>>): DeclareFor<C, Request, RequestHandler> {
  // The typed overloads are the caller's; the declaration is checked again at run time by `declare`.
  const declare = purposeScopes(guard).declare as (declaration: PurposeDeclaration<Request>) => PurposeDeclaration<Request>;
  // Recorded only with the guard's own record, read once; without one the 403s are answered, not recorded.
  const options: PurposeOptions = { guard: recorderOf(guard) };
  return ((declaration: PurposeDeclaration<Request>) => purpose(declare(declaration), options)) as DeclareFor<C, Request, RequestHandler>;
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
