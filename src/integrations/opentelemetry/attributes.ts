import type { Attributes } from '@opentelemetry/api';
import type { DecisionEvent } from '../../audit/event.js';

/** Options of `decisionAttributes`. */
export interface DecisionAttributeOptions {
  /**
   * Add `purpose_guard.subject.ref`, the trail's keyed HMAC of the subject id,
   * to correlate decisions about one person. Off by default: telemetry backends
   * are rarely governed like an audit log. Never a raw id either way.
   */
  readonly includeSubjectRef?: boolean | undefined;
}

/**
 * The span/log attributes of a decision, in the style of OpenTelemetry's
 * feature-flag evaluation conventions (`feature_flag.key`, `feature_flag.result.reason`,
 * `feature_flag.version`) under a `purpose_guard.*` namespace, plus the stable
 * `code.function.name` for the repository method. No personal data: no actor,
 * no subject id (see `includeSubjectRef`).
 *
 * @example
 * span.setAttributes(decisionAttributes(event));
 */
export function decisionAttributes(event: DecisionEvent, options: DecisionAttributeOptions = {}): Attributes {
  const attributes: Attributes = {
    'purpose_guard.decision.id': event.decisionId,
    'purpose_guard.subject.category': event.subject,
    'purpose_guard.purpose': event.purpose,
    'purpose_guard.decision': event.allowed ? 'allow' : 'deny',
    'purpose_guard.decision.reason': event.reason,
    'purpose_guard.decision.proceeded': event.proceeded,
    'purpose_guard.mode': event.mode,
    'purpose_guard.rule.id': event.rule,
    'purpose_guard.rule.step': event.step,
    'purpose_guard.catalogue.version': event.catalogue.version,
    'purpose_guard.catalogue.hash': event.catalogue.hash,
  };
  if (event.basis !== undefined) attributes['purpose_guard.basis'] = event.basis;
  if (event.consentId !== undefined) attributes['purpose_guard.consent.id'] = event.consentId;
  if (event.exception !== undefined) attributes['purpose_guard.exception.ground'] = event.exception.ground;
  if (event.operation !== undefined) attributes['purpose_guard.operation'] = event.operation;
  if (event.method !== undefined) attributes['code.function.name'] = event.method;
  if (options.includeSubjectRef === true && event.subjectRef !== undefined) attributes['purpose_guard.subject.ref'] = event.subjectRef;
  return attributes;
}
