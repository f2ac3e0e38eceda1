import type { DecisionMeta } from '../audit/types.js';
import { defaultCatalogue, type DefaultCatalogue } from '../catalogue/default.js';
import { createGuard, type Guard } from './guard.js';

let guard: Guard<DefaultCatalogue> | undefined;

/** Built on first use, so importing the package costs nothing. */
function defaultGuard(): Guard<DefaultCatalogue> {
  guard ??= createGuard(defaultCatalogue);
  return guard;
}

/**
 * `checkUse` over `defaultCatalogue`.
 *
 * @example
 * checkUse('customer', 'billing').allowed; // true
 */
export const checkUse: Guard<DefaultCatalogue>['checkUse'] = ((s: never, p: never, c?: never, m?: DecisionMeta) =>
  defaultGuard().checkUse(s, p, c, m)) as Guard<DefaultCatalogue>['checkUse'];

/**
 * `assertUse` over `defaultCatalogue`.
 *
 * @example
 * const grant = assertUse('customer', 'billing');
 */
export const assertUse: Guard<DefaultCatalogue>['assertUse'] = ((s: never, p: never, c?: never, m?: DecisionMeta) =>
  defaultGuard().assertUse(s, p, c, m)) as Guard<DefaultCatalogue>['assertUse'];

/**
 * `permittedPurposes` over `defaultCatalogue`.
 *
 * @example
 * permittedPurposes('shareholder'); // ['statutory-shareholder-rights', 'shareholder-registry']
 */
export const permittedPurposes: Guard<DefaultCatalogue>['permittedPurposes'] = ((s: never, c?: never) =>
  defaultGuard().permittedPurposes(s, c)) as Guard<DefaultCatalogue>['permittedPurposes'];

/**
 * `prepareContext` over `defaultCatalogue`: read and validate a context once, for many checks.
 *
 * @example
 * const ctx = prepareContext({ consents, dataCategories: ['contact'] });
 * checkUse('customer', 'marketing.notifications', ctx);
 */
export const prepareContext: Guard<DefaultCatalogue>['prepareContext'] = ((c: never) =>
  defaultGuard().prepareContext(c)) as Guard<DefaultCatalogue>['prepareContext'];
