export { guardRepository } from './guard-repository.js';
export type { AnyMethodSpec, ArgsOf, GuardRepositoryOptions, MethodKeys, MethodSpec, Operation, RepositorySpec } from './types.js';
