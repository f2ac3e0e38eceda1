import type { LegalBasis } from '../catalogue/types.js';
import type { DecidingRecord, Decision, DecisionReason, ExceptionGround, RuleStep } from '../decision/types.js';
import type { DecisionMeta, GuardMode } from './types.js';

/**
 * The version of the `DecisionEvent` shape; bumped on any incompatible change.
 *
 * @example
 * if (event.schema !== DECISION_EVENT_SCHEMA) throw new Error('unknown audit event version');
 */
export const DECISION_EVENT_SCHEMA = 'purpose-guard.decision/1' as const;

/**
 * Strings taken from a decision or a context are cut to this many UTF-16 units.
 *
 * @example
 * event.actor!.length <= MAX_EVENT_STRING + 16; // cut strings end in `…[+N]`
 */
export const MAX_EVENT_STRING = 512;

/**
 * One decision, as the audit trail records it. Plain JSON data (strings,
 * numbers, booleans), never the caller's context: no raw personal data, and it
 * always serialises. Field names are public API (log queries depend on them).
 *
 * @example
 * const e: DecisionEvent = trail.events()[0];
 * if (!e.allowed && e.mode === 'monitor') console.log('would have denied', e.reason);
 */
export interface DecisionEvent {
  readonly schema: typeof DECISION_EVENT_SCHEMA;
  /** Unique id of this decision (a random UUID). */
  readonly decisionId: string;
  /** Position in the trail that recorded it: 1, 2, 3... with no gaps. */
  readonly seq: number;
  /** When the trail recorded the decision, ISO 8601 UTC. */
  readonly at: string;
  /** The catalogue that decided: its `version` and the SHA-256 (hex) of its RFC 8785 canonical JSON. */
  readonly catalogue: { readonly version: string; readonly hash: string };
  /** `enforce`: the decision took effect; `monitor`: a deny was let through and only recorded. */
  readonly mode: GuardMode;
  /** The subject category (not a person). */
  readonly subject: string;
  readonly purpose: string;
  /** The policy's verdict. In monitor mode a would-be deny is `false` here although the use went ahead. */
  readonly allowed: boolean;
  /** Whether the use went ahead: `allowed`, or any decision of a monitor-mode guard. */
  readonly proceeded: boolean;
  /** The real reason, also in monitor mode (never `monitored`). */
  readonly reason: DecisionReason;
  readonly rule: string;
  readonly step: RuleStep;
  /** The sentence shown to people (it never quotes the context). */
  readonly message: string;
  readonly basis?: LegalBasis | undefined;
  readonly exception?: { readonly ground: ExceptionGround; readonly reference: string } | undefined;
  readonly consentId?: string | undefined;
  /** For `invalid_input` / `invalid_context`: the field at fault. */
  readonly field?: string | undefined;
  /** The context record that decided a deny (its purpose, id and time, never the person). */
  readonly record?: DecidingRecord | undefined;
  /** From the wrappers: `read`, `write`... */
  readonly operation?: string | undefined;
  /** From the wrappers: `CustomerRepo.findById`... */
  readonly method?: string | undefined;
  /** The entry point: `checkUse`, `assertUse`, `checkUseAsync`, or a wrapper's name. */
  readonly via?: string | undefined;
  /** The context's `actor` (a user or service id of the person acting, not of the data subject). */
  readonly actor?: string | undefined;
  /** Keyed HMAC-SHA-256 (hex) of the context's `subjectId`; present only when the trail has a key. */
  readonly subjectRef?: string | undefined;
  /** Which key made `subjectRef`, so keys can be rotated. */
  readonly subjectRefKeyId?: string | undefined;
}

/**
 * What the trail adds to a decision to make an event.
 *
 * @example
 * const stamp: EventStamp = { decisionId: randomUUID(), seq: 1, at: new Date().toISOString(), catalogue, subjectRef: undefined, subjectRefKeyId: undefined };
 */
export interface EventStamp {
  readonly decisionId: string;
  readonly seq: number;
  readonly at: string;
  readonly catalogue: { readonly version: string; readonly hash: string };
  /** Keyed hash of a subject id, or `undefined` when the trail has no key. */
  readonly subjectRef: ((subjectId: string) => string) | undefined;
  readonly subjectRefKeyId: string | undefined;
}

/**
 * Builds the event for a decision. Reads only `actor` and `subjectId` from the
 * context, each inside a `try` (a Proxy or a throwing getter is ignored), and
 * caps every string, so a hostile context can neither break nor bloat the log.
 *
 * @example
 * const event = toDecisionEvent(decision, ctx, { via: 'checkUse' }, true, stamp);
 */
export function toDecisionEvent(decision: Decision, context: unknown, meta: DecisionMeta, enforced: boolean, stamp: EventStamp): DecisionEvent {
  const effective = decision.reason === 'monitored' ? decision.denied : decision;
  const actor = readString(context, 'actor');
  const subjectId = stamp.subjectRef === undefined ? undefined : readString(context, 'subjectId', Number.POSITIVE_INFINITY);
  const event: Record<string, unknown> = {
    schema: DECISION_EVENT_SCHEMA,
    decisionId: stamp.decisionId,
    seq: stamp.seq,
    at: stamp.at,
    catalogue: stamp.catalogue,
    mode: enforced ? 'enforce' : 'monitor',
    subject: cap(effective.subject),
    purpose: cap(effective.purpose),
    allowed: effective.allowed,
    proceeded: decision.allowed || !enforced,
    reason: effective.reason,
    rule: cap(effective.rule),
    step: effective.step,
    message: cap(effective.message, 2048),
  };
  if (effective.allowed) {
    if (effective.basis !== undefined) event['basis'] = effective.basis;
    if (effective.exception !== undefined) event['exception'] = { ground: effective.exception.ground, reference: cap(effective.exception.reference) };
    if (effective.consentId !== undefined) event['consentId'] = cap(effective.consentId);
  } else {
    if (effective.field !== undefined) event['field'] = cap(effective.field);
    const r = effective.record;
    if (r !== undefined) event['record'] = { kind: r.kind, purpose: cap(r.purpose), ...(r.id === undefined ? {} : { id: cap(r.id) }), at: r.at };
  }
  if (typeof meta.operation === 'string') event['operation'] = cap(meta.operation);
  if (typeof meta.method === 'string') event['method'] = cap(meta.method);
  if (typeof meta.via === 'string') event['via'] = cap(meta.via);
  if (actor !== undefined) event['actor'] = actor;
  if (subjectId !== undefined && stamp.subjectRef !== undefined) {
    event['subjectRef'] = stamp.subjectRef(subjectId);
    if (stamp.subjectRefKeyId !== undefined) event['subjectRefKeyId'] = stamp.subjectRefKeyId;
  }
  return event as unknown as DecisionEvent;
}

const ANY_SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Cuts a string to `max` UTF-16 units without splitting a surrogate pair, says
 * so, and replaces lone surrogates (not I-JSON, so not canonicalisable) with U+FFFD.
 */
function cap(value: string, max = MAX_EVENT_STRING): string {
  if (typeof value !== 'string') return '';
  let out = value;
  if (out.length > max) {
    let end = max;
    const last = out.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end--;
    out = `${out.slice(0, end)}…[+${out.length - end}]`;
  }
  return ANY_SURROGATE.test(out) ? out.replace(LONE_SURROGATE, '\uFFFD') : out;
}

function readString(context: unknown, key: 'actor' | 'subjectId', max = MAX_EVENT_STRING): string | undefined {
  try {
    if (typeof context !== 'object' || context === null || !Object.hasOwn(context, key)) return undefined;
    const value: unknown = (context as Record<string, unknown>)[key];
    return typeof value === 'string' ? cap(value, max) : undefined;
  } catch {
    return undefined;
  }
}
