import type { ExceptionGround } from '../decision/types.js';

/** A date in the context: a `Date`, or an RFC 3339 date-time string with `Z` or an offset. */
export type DateInput = Date | string;

/** A consent a person gave for a purpose (GDPR Art. 7; APPI Art. 18(1)). */
export interface ConsentRecord<P extends string = string> {
  /** The purpose consented to; a consent to a purpose covers its descendants. */
  readonly purpose: P;
  readonly grantedAt: DateInput;
  readonly withdrawnAt?: DateInput | undefined;
  readonly expiresAt?: DateInput | undefined;
  /** Your id for the consent record; it appears in decisions and audit events. */
  readonly id?: string | undefined;
}

/** An objection to (opt-out of) processing for a purpose (GDPR Art. 21; APPI Art. 35). */
export interface ObjectionRecord<P extends string = string> {
  readonly purpose: P;
  readonly at: DateInput;
}

/** A legal exception to purpose limitation (APPI Art. 18(3)). */
export interface LegalException {
  readonly ground: ExceptionGround;
  /** The statute, order or case relied on. */
  readonly reference: string;
  /** Required by the second to fourth grounds: obtaining consent is difficult. */
  readonly consentImpracticable?: boolean | undefined;
}

/**
 * The context fields `checkUse` reads; all optional. Unknown fields are rejected (a typo must not fail open).
 *
 * @example
 * const unknown = Object.keys(body).filter((k) => !(CONTEXT_FIELDS as readonly string[]).includes(k));
 */
export const CONTEXT_FIELDS = [
  'now',
  'consents',
  'objections',
  'dataCategories',
  'collectedFor',
  'relationshipEndedAt',
  'exception',
  'actor',
  'subjectId',
] as const;

/**
 * What a use depends on besides the subject category and purpose.
 *
 * @example
 * const ctx: UseContext = {
 *   now: new Date(),
 *   consents: [{ purpose: 'marketing.notifications', grantedAt: '2026-01-05T10:00:00Z', id: 'c-1' }],
 *   dataCategories: ['contact'],
 * };
 */
export interface UseContext<P extends string = string, D extends string = string> {
  /** The decision time; default: the guard's clock. */
  readonly now?: DateInput | undefined;
  readonly consents?: readonly ConsentRecord<P>[] | undefined;
  readonly objections?: readonly ObjectionRecord<P>[] | undefined;
  /** The categories of personal data this use touches. */
  readonly dataCategories?: readonly D[] | undefined;
  /** The purposes the data was originally collected for. */
  readonly collectedFor?: readonly P[] | undefined;
  /** When the relationship ended (account closed, employment ended); starts the retention period. */
  readonly relationshipEndedAt?: DateInput | undefined;
  readonly exception?: LegalException | undefined;
  /** Who is acting (user or service id); recorded in audit events, never used to decide. */
  readonly actor?: string | undefined;
  /** The person the data is about; audit events store only a keyed HMAC of it. */
  readonly subjectId?: string | undefined;
}

/**
 * Whether an object's prototype is a root object: an `Object.prototype` (of
 * this realm or another) or none.
 *
 * @example
 * hasRootPrototype({});                     // true
 * hasRootPrototype(Object.create(null));    // true
 * hasRootPrototype(new Date());             // false
 */
export function hasRootPrototype(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/**
 * Whether a context (or the guard's options) is plain, as `checkUse` reads it: its prototype is
 * a root object, or it was made by `Object` (its `constructor`) and inherits
 * no enumerable field from a prototype of its own. A class instance, a `Map`,
 * a `Date` or a `Promise` (a forgotten `await`) is not: its fields are getters
 * on a prototype, which the guard never reads, and reading it as an empty
 * context would silently drop the objections or categories it holds; nor is
 * `Object.create(defaults)`, whose fields are its prototype's. (The
 * constructor is asked first because it is one cached read for an object
 * literal, where the prototype is a call.)
 *
 * @example
 * isPlainRecord({ actor: 'svc' });              // true
 * isPlainRecord(Object.create(null));           // true
 * isPlainRecord(new (class Ctx { get objections() { return []; } })()); // false
 */
export function isPlainRecord(value: object): boolean {
  if (hasRootPrototype(value)) return true;
  if ((value as { constructor?: unknown }).constructor !== Object) return false;
  for (const key in value) if (!Object.hasOwn(value, key)) return false;
  return true;
}

/**
 * Whether a prototype of a record, below the root object, holds one of its
 * fields (a value or a getter). The guard reads a record's own fields only, so
 * such a field would go unseen: a class whose getter holds `withdrawnAt`
 * would read as never withdrawn. A class instance whose fields are its own (an
 * ORM entity) lends nothing and is read like an object literal; a polluted
 * `Object.prototype` (the root) is never read either way.
 *
 * @example
 * lendsFields(new (class { purpose = 'news'; grantedAt = new Date() })(), ['purpose', 'grantedAt', 'withdrawnAt']); // false
 * lendsFields(new (class { get withdrawnAt() { return new Date(); } })(), ['withdrawnAt']);                      // true
 */
export function lendsFields(value: object, fields: readonly string[]): boolean {
  for (let proto: object | null = Object.getPrototypeOf(value); proto !== null && Object.getPrototypeOf(proto) !== null; proto = Object.getPrototypeOf(proto)) {
    for (const field of fields) if (Object.hasOwn(proto, field)) return true;
  }
  return false;
}

