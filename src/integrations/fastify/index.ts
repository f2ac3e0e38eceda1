/**
 * `purpose-guard/fastify`: a Fastify 5 plugin that opens a purpose scope per
 * request from the route's `config.purpose`, and turns `PurposeViolationError`
 * into an RFC 9457 problem response.
 *
 * @packageDocumentation
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { resolveDeclaration, type PurposeDeclaration } from '../../scope/declaration.js';
import { PROBLEM_CONTENT_TYPE, toProblem, violationOf, type ProblemOptions } from '../../scope/problem.js';
import { type PurposeScopeInput, runWithPurpose } from '../../scope/scope.js';
import { type DeclareFor, purposeScopes } from '../../scope/typed.js';
import type { Catalogue, CatalogueSpec } from '../../catalogue/types.js';
import { type DenialRecorder, type GuardForDeclarations, ownGuard, passRecorded, recorderOf } from '../record-denial.js';
import { ownField } from '../../rules/own.js';

export type { PurposeDeclaration } from '../../scope/declaration.js';
export { toProblem, type ProblemOptions, type PurposeProblem } from '../../scope/problem.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The purpose of this route: an id, a scope input, or a function of the request (see `purpose-guard/fastify`). */
    purpose?: PurposeDeclaration<FastifyRequest> | undefined;
  }
}

/**
 * A route's `config.purpose`, checked against a guard's catalogue: an
 * undeclared purpose fails to compile, or, for an id that only exists at run
 * time, throws when the route is declared (a literal) or answers 403 (a
 * declaration function's answer, checked on every request). The plugin
 * records every 403 it decides itself for such a declaration with this
 * guard's `record` before it answers it (the plugin's own `guard` option
 * covers the other routes). An object with only a catalogue (no `record`) is
 * enough: the plugin's own `guard`, if any, then records them.
 *
 * @example
 * const purpose = purposeFor(guard);
 * app.get('/support/customers/:id', { config: { purpose: purpose('customer-support') } }, handler);
 */
export function purposeFor<const C extends CatalogueSpec>(
  guard: GuardForDeclarations<Catalogue<C>>,
): DeclareFor<C, FastifyRequest, PurposeDeclaration<FastifyRequest>> {
  // The typed overloads are the caller's; the declaration is checked again at run time by `declare`.
  const declare = purposeScopes(guard).declare as (declaration: PurposeDeclaration<FastifyRequest>) => PurposeDeclaration<FastifyRequest>;
  // The guard's own record, read once; without one the plugin's own guard (if any) records these refusals.
  const recorder = recorderOf(guard);
  return ((declaration: PurposeDeclaration<FastifyRequest>) => {
    const checked = declare(declaration);
    // An id is checked here, once, and cannot be refused later; a function (or a scope input) can, on any request.
    if (typeof checked !== 'string' && recorder !== undefined) declaredWith.set(checked, recorder);
    return checked;
  }) as DeclareFor<C, FastifyRequest, PurposeDeclaration<FastifyRequest>>;
}

/** The guard a declaration was checked against by `purposeFor`, which records the plugin's refusals of it. */
const declaredWith = new WeakMap<object, DenialRecorder>();

/**
 * Options of the plugin.
 *
 * @example
 * await app.register(purposeGuard, { errorHandler: false });
 * await app.register(purposeGuard, { guard }); // its refusals are audited
 */
export interface PurposeGuardPluginOptions extends ProblemOptions {
  /**
   * Install an error handler that answers `PurposeViolationError` with a problem
   * response and passes every other error on to Fastify's default. Default `true`;
   * set `false` if you have your own and call `replyWithProblem` from it.
   */
  readonly errorHandler?: boolean | undefined;
  /**
   * The guard whose audit trail records the denials the plugin decides itself
   * (a malformed scope, a declaration that throws `PurposeViolationError`),
   * before it answers them (any object with the guard's `record`). A
   * declaration from `purposeFor(guard)` is recorded with that guard instead.
   * Without either they are answered but not recorded.
   */
  readonly guard?: DenialRecorder | undefined;
}

type Done = (error?: Error) => void;
type Plugin = ((app: FastifyInstance, options: PurposeGuardPluginOptions, done: Done) => void) & Record<symbol, unknown>;

/**
 * The plugin. Register it once, at the root; routes declare their purpose in `config`.
 * It is not encapsulated (like a `fastify-plugin` plugin), so its hook covers every route.
 *
 * @example
 * await app.register(purposeGuard);
 * app.get('/customers/:id', { config: { purpose: 'customer-support' } }, async (req) => customers.findById(req.params.id));
 */
export const purposeGuard: Plugin = Object.assign(
  function purposeGuardPlugin(app: FastifyInstance, options: PurposeGuardPluginOptions, done: Done): void {
    // Read once, own only: changing the options later, or a polluted prototype, changes nothing.
    const pluginGuard = ownGuard(options);
    // preHandler, not onRequest: it runs after the body is parsed, so nothing between it and the handler leaves the scope.
    app.addHook('preHandler', (request, _reply, next) => {
      const { config, url } = request.routeOptions;
      const declaration = declarationOf(config);
      if (declaration === undefined) {
        next();
        return;
      }
      let input: unknown;
      let entered = false;
      try {
        input = resolveDeclaration(declaration, request);
        runWithPurpose(input as PurposeScopeInput, () => {
          entered = true;
          next();
        });
      } catch (error) {
        if (entered) throw error;
        const guard = (typeof declaration === 'object' && declaration !== null) || typeof declaration === 'function' ? (declaredWith.get(declaration) ?? pluginGuard) : pluginGuard;
        passRecorded(guard, error, input, { via: 'fastify', method: typeof url === 'string' ? `${request.method} ${url}` : request.method }, next as (error: unknown) => void);
      }
    });
    if (options.errorHandler !== false) {
      app.setErrorHandler((error: FastifyError, _request, reply) => {
        if (replyWithProblem(error, reply, options)) return reply;
        throw error;
      });
    }
    done();
  },
  {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: 'purpose-guard',
    [Symbol.for('plugin-meta')]: { name: 'purpose-guard', fastify: '5.x' },
  },
);

/**
 * The route's own `config.purpose`. Own only: a `purpose` inherited from a
 * polluted `Object.prototype` would otherwise be the purpose of every route that
 * declares none, and open a scope (allow) where there must be none (deny).
 */
function declarationOf(config: unknown): PurposeDeclaration<FastifyRequest> | undefined {
  return ownField(config, 'purpose') as PurposeDeclaration<FastifyRequest> | undefined;
}

/**
 * Sends the problem response for a `PurposeViolationError` and returns `true`;
 * returns `false` (and sends nothing) for any other error. For your own error handler.
 *
 * @example
 * app.setErrorHandler((error, request, reply) => {
 *   if (replyWithProblem(error, reply)) return reply;
 *   reply.send(error);
 * });
 */
export function replyWithProblem(error: unknown, reply: FastifyReply, options: ProblemOptions = {}): boolean {
  const decision = violationOf(error);
  if (decision === undefined || reply.sent) return false;
  const problem = toProblem(decision, options);
  void reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  return true;
}
