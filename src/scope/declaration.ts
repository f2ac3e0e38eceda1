import type { PurposeScopeInput } from './scope.js';

/**
 * How a route declares its purpose: a purpose id, a scope input
 * (`{ purpose, actor?, ...context }`), or a function of the request that returns one.
 *
 * @example
 * const d: PurposeDeclaration<Request> = (req) => ({ purpose: 'customer-support', actor: req.get('x-agent') });
 */
export type PurposeDeclaration<Req, P extends string = string> = P | PurposeScopeInput<P> | ((request: Req) => P | PurposeScopeInput<P>);

/**
 * Resolves a declaration for one request into a scope input.
 *
 * @example
 * resolveDeclaration('billing', req); // { purpose: 'billing' }
 */
export function resolveDeclaration<Req>(declaration: PurposeDeclaration<Req>, request: Req): PurposeScopeInput {
  const value = typeof declaration === 'function' ? declaration(request) : declaration;
  return typeof value === 'string' ? { purpose: value } : value;
}
