/**
 * `purpose-guard/node`: purpose scopes (AsyncLocalStorage) and guarded repositories.
 *
 * @packageDocumentation
 */
export { currentPurpose, currentScope, noPurposeInScope, runWithoutPurpose, runWithPurpose, type PurposeScope, type PurposeScopeInput, type ScopeOptions } from './scope/scope.js';
export { guardRepository } from './repository/guard-repository.js';
export type { AnyMethodSpec, ArgsOf, GuardRepositoryOptions, MethodKeys, MethodSpec, Operation, RepositorySpec } from './repository/types.js';
export { PROBLEM_CONTENT_TYPE, toProblem, violationOf, type ProblemOptions, type PurposeProblem } from './scope/problem.js';
export { resolveDeclaration, type PurposeDeclaration } from './scope/declaration.js';
export { type DeclarationOf, type DeclareFor, purposeScopes, type PurposeScopes, type ScopeInputBound, type ScopeInputOf } from './scope/typed.js';
