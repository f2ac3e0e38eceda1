import type { DefaultCatalogue } from '../catalogue/default.js';
import type { Catalogue, CatalogueSpec, LegalBasis } from '../catalogue/types.js';

/** Why a use was allowed. */
export type AllowReason = 'permitted' | 'permitted_by_exception';

/**
 * Why a use was denied. The union is closed: match on it exhaustively
 * (`match(d.reason)...exhaustive()`) and the compiler tells you when it grows.
 */
export type DenyReason =
  | 'invalid_input'
  | 'invalid_context'
  | 'unknown_subject'
  | 'unknown_purpose'
  | 'exception_invalid'
  | 'purpose_prohibited'
  | 'purpose_not_permitted'
  | 'retention_expired'
  | 'data_category_not_permitted'
  | 'consent_required'
  | 'consent_not_yet_valid'
  | 'consent_expired'
  | 'consent_withdrawn'
  | 'objected'
  | 'incompatible_purpose'
  | 'no_purpose_in_scope'
  | 'audit_unavailable';

/** Every reason a decision can carry (`monitored`: allowed by a monitor-mode guard that would have denied). */
export type DecisionReason = AllowReason | DenyReason | 'monitored';

/**
 * The step of the decision procedure that decided, in evaluation order
 * (README, "Rules"). `scope` and `audit` come from the wrappers around `checkUse`.
 */
export type RuleStep =
  | 'input'
  | 'context'
  | 'identity'
  | 'exception'
  | 'permission'
  | 'retention'
  | 'data_categories'
  | 'consent'
  | 'objection'
  | 'further_use'
  | 'scope'
  | 'audit';

/** The legal-exception grounds of APPI Art. 18(3). */
export type ExceptionGround =
  | 'laws_and_regulations'
  | 'protection_of_life_body_property'
  | 'public_health_child_welfare'
  | 'public_authority_cooperation'
  | 'academic_research';

/**
 * The context record that decided a deny. Identified by content, not position,
 * so reordering `consents` or `objections` never changes a decision.
 */
export interface DecidingRecord {
  readonly kind: 'consent' | 'objection';
  readonly purpose: string;
  /** The consent's id, if it has one. */
  readonly id?: string | undefined;
  /** ISO 8601 (UTC) time of the event that decided: the withdrawal, expiry, grant or objection. */
  readonly at: string;
}

interface DecisionBase<S extends string, P extends string> {
  readonly subject: S;
  readonly purpose: P;
  /**
   * What decided: for catalogue rules the path of the entry in the catalogue
   * (`subjects.customer.purposes.billing`, `purposes.marketing.notifications.requiresConsent`),
   * for context rules the path in the context (`context.consents[2]`), otherwise the step name.
   */
  readonly rule: string;
  /** The step of the decision procedure that decided. */
  readonly step: RuleStep;
  /** The provisions this decision rests on (APPI, GDPR), for people and reports. */
  readonly law: readonly string[];
  /** A sentence a person can act on. Never contains personal data from the context. */
  readonly message: string;
}

/**
 * An allowed use: `rule` is the catalogue entry that permitted it.
 *
 * @example
 * const d = checkUse('customer', 'billing');
 * if (d.allowed) console.log(d.rule, d.basis); // subjects.customer.purposes.billing contract
 */
export interface AllowDecision<S extends string = string, P extends string = string> extends DecisionBase<S, P> {
  readonly allowed: true;
  readonly reason: AllowReason;
  /** The GDPR Art. 6(1) basis relied on. */
  readonly basis: LegalBasis;
  /** The consent relied on, when one was needed and it carried an id. */
  readonly consentId?: string | undefined;
  /** The legal exception relied on (`permitted_by_exception`). */
  readonly exception?: { readonly ground: ExceptionGround; readonly reference: string } | undefined;
}

/**
 * A denied use.
 *
 * @example
 * const d = checkUse('employee', 'marketing.analytics' as string);
 * if (!d.allowed) console.log(d.reason, d.message);
 */
export interface DenyDecision<S extends string = string, P extends string = string> extends DecisionBase<S, P> {
  readonly allowed: false;
  readonly reason: DenyReason;
  /** For `invalid_input` / `invalid_context`: the argument or context field at fault. */
  readonly field?: string | undefined;
  /** The context record that decided, when one did. */
  readonly record?: DecidingRecord | undefined;
}

/**
 * A use a monitor-mode guard let through although it would have denied it:
 * `denied` is the deny an enforcing guard returns. Only guards created with
 * `mode: 'monitor'` return it.
 *
 * @example
 * const d = createGuard(catalogue, { mode: 'monitor' }).checkUse('employee', p);
 * if (d.reason === 'monitored') metrics.increment(d.denied.reason);
 */
export interface MonitoredDecision<S extends string = string, P extends string = string> extends DecisionBase<S, P> {
  readonly allowed: true;
  readonly reason: 'monitored';
  readonly denied: DenyDecision<S, P>;
  readonly basis?: undefined;
}

/**
 * The answer to "may this category of person's data be used for this purpose, now?".
 * Discriminated on `allowed` (and on `reason`).
 *
 * @example
 * const d: Decision = checkUse('customer', 'billing');
 * d.allowed ? proceed() : reject(d.message);
 */
export type Decision<S extends string = string, P extends string = string> =
  | AllowDecision<S, P>
  | DenyDecision<S, P>
  | MonitoredDecision<S, P>;

declare const grantBrand: unique symbol;

/**
 * Proof that `assertUse` allowed this subject category's data to be used for
 * this purpose, under catalogue `C`. Require it in repository signatures so
 * that code that skipped the check does not compile. The grant carries its
 * catalogue: a guard over another catalogue (another policy, or a parsed,
 * untyped one) gives a grant that is not proof for this one. `C` defaults to
 * the default catalogue; name yours (`UseGrant<'user', 'billing', typeof catalogue>`,
 * the catalogue or its spec type), or `CatalogueSpec` to take a grant of any catalogue.
 *
 * @example
 * function sendNewsletter(grant: UseGrant<'customer', 'marketing.notifications'>, to: string) {}
 * sendNewsletter(guard.assertUse('customer', 'marketing.notifications', ctx), email);
 */
export type UseGrant<S extends string = string, P extends string = string, C extends CatalogueSpec = DefaultCatalogue> = (
  | AllowDecision<S, P>
  | MonitoredDecision<S, P>
) & {
  readonly [grantBrand]: { readonly subject: S; readonly purpose: P; readonly catalogue: SpecOf<C> };
};

/** A catalogue's spec type: `typeof catalogue` and the `C` of its `Guard<C>` name the same grants. */
type SpecOf<C extends CatalogueSpec> = C extends Catalogue<infer X> ? X : C;
