import type { AllowReason, DenyReason } from './types.js';

/**
 * Every allow reason, for exhaustive tests and reports.
 *
 * @example
 * ALLOW_REASONS.includes('permitted'); // true
 */
export const ALLOW_REASONS: readonly AllowReason[] = Object.freeze(['permitted', 'permitted_by_exception']);

/**
 * Every deny reason in the order of the rules that produce them.
 *
 * @example
 * DENY_REASONS.length; // 17
 */
export const DENY_REASONS: readonly DenyReason[] = Object.freeze([
  'invalid_input',
  'invalid_context',
  'unknown_subject',
  'unknown_purpose',
  'exception_invalid',
  'purpose_prohibited',
  'purpose_not_permitted',
  'retention_expired',
  'data_category_not_permitted',
  'consent_required',
  'consent_not_yet_valid',
  'consent_expired',
  'consent_withdrawn',
  'objected',
  'incompatible_purpose',
  'no_purpose_in_scope',
  'audit_unavailable',
] satisfies readonly DenyReason[]);
