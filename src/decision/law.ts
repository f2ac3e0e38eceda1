import { match } from 'ts-pattern';
import type { DecisionReason } from './types.js';

/**
 * The provisions each reason rests on. Kept beside the reasons so a new reason
 * does not compile until someone has said which law it answers to.
 *
 * @example
 * lawFor('objected'); // ['GDPR Art. 21', 'APPI Art. 35']
 */
export function lawFor(reason: DecisionReason): readonly string[] {
  return match(reason)
    .with('permitted', () => ['APPI Art. 17(1)', 'APPI Art. 18(1)', 'GDPR Art. 5(1)(b)', 'GDPR Art. 6(1)'])
    .with('permitted_by_exception', 'exception_invalid', () => ['APPI Art. 18(3)', 'GDPR Art. 6(1)(c)-(e)'])
    .with('unknown_subject', 'unknown_purpose', () => ['APPI Art. 17(1)', 'GDPR Art. 5(1)(b)'])
    .with('purpose_not_permitted', 'purpose_prohibited', () => ['APPI Art. 18(1)', 'GDPR Art. 5(1)(b)'])
    .with('retention_expired', () => ['GDPR Art. 5(1)(e)', 'APPI Art. 22'])
    .with('data_category_not_permitted', () => ['GDPR Art. 5(1)(c)', 'GDPR Art. 9(1)', 'APPI Art. 20(2)'])
    .with('consent_required', 'consent_not_yet_valid', 'consent_expired', () => ['GDPR Art. 6(1)(a)', 'GDPR Art. 7', 'APPI Art. 18(1)'])
    .with('consent_withdrawn', () => ['GDPR Art. 7(3)', 'APPI Art. 18(1)'])
    .with('objected', () => ['GDPR Art. 21', 'APPI Art. 35'])
    .with('incompatible_purpose', () => ['GDPR Art. 6(4)', 'APPI Art. 17(2)'])
    .with('invalid_input', 'invalid_context', 'no_purpose_in_scope', 'audit_unavailable', 'monitored', () => ['GDPR Art. 5(2)'])
    .exhaustive();
}
