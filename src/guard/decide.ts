import { add, type Duration } from 'date-fns';
import { type CompiledCatalogue, type CompiledPurpose, type CompiledSubject, type ConsentMessages, denyOf, type Outcome, outcomeOf, recordDeny } from '../compile/compile.js';
import { lawFor } from '../decision/law.js';
import { describeType, echo } from '../decision/messages.js';
import type { AllowDecision, Decision, DenyDecision, DenyReason, ExceptionGround } from '../decision/types.js';
import { toEpochMs } from '../rules/dates.js';
import { iso } from '../rules/iso.js';
import { CONTEXT_FIELDS } from '../rules/context.js';
import { EXCEPTION_GROUNDS } from '../rules/exception.js';

const hasOwn = Object.hasOwn;
const hasOwnProperty = Object.prototype.hasOwnProperty;
const KNOWN_FIELDS: ReadonlySet<string> = new Set(CONTEXT_FIELDS);
const NONE = Number.NaN;

/**
 * Per-call working memory. Validation reads each context field once into here
 * and the rules read only what it stored, so a getter cannot answer differently
 * to validation and to the rules (a record the fast path doubts is read again,
 * and that second reading is the one validated and decided on). Pooled, so
 * reading a plain context allocates nothing. A small stack of them keeps the code
 * re-entrant (a context getter may itself call `checkUse`).
 */
interface Scratch {
  /** Whether the context has `collectedFor`, `relationshipEndedAt`, `exception`: the rules read the values from the fields below. */
  hasCollected: boolean;
  hasEnded: boolean;
  hasException: boolean;
  cN: number;
  cPurpose: string[];
  cGranted: number[];
  cWithdrawn: number[];
  cExpires: number[];
  cId: (string | undefined)[];
  oN: number;
  oPurpose: string[];
  oAt: number[];
  dN: number;
  dCat: string[];
  /** The data categories as bits of `CompiledCatalogue.categoryBits`, when every one has a bit (else -1): the rule is then two mask tests. */
  dMask: number;
  fN: number;
  fPurpose: string[];
  exGround: string;
  exReference: string;
  exImpracticable: boolean;
  nowMs: number;
  endedMs: number;
  actor: string | undefined;
  subjectId: string | undefined;
}

const pool: Scratch[] = [];
let depth = 0;

function scratch(): Scratch {
  return {
    hasCollected: false, hasEnded: false, hasException: false,
    cN: 0, cPurpose: [], cGranted: [], cWithdrawn: [], cExpires: [], cId: [],
    oN: 0, oPurpose: [], oAt: [], dN: 0, dCat: [], dMask: 0, fN: 0, fPurpose: [],
    exGround: '', exReference: '', exImpracticable: false, nowMs: NONE, endedMs: NONE, actor: undefined, subjectId: undefined,
  };
}

/** Thrown inside the context pass only; turned into an `invalid_context` deny. Never escapes `decide`. */
class ContextFault {
  constructor(readonly field: string, readonly problem: string) {}
}

/**
 * Decides one use. Total: returns a Decision for any input and never throws.
 *
 * @example
 * decide(compileCatalogue(defaultCatalogue), () => new Date(), 'customer', 'billing', undefined).allowed; // true
 */
export function decide(cc: CompiledCatalogue, clock: () => unknown, subject: unknown, purpose: unknown, context: unknown): Decision {
  if (typeof subject !== 'string') return invalidInput(subject, purpose, 'subject');
  if (typeof purpose !== 'string') return invalidInput(subject, purpose, 'purpose');
  if (context === undefined) {
    const s = cc.subjects.get(subject);
    if (s === undefined) return unknownId(cc, subject, purpose, unknownSubject);
    const hit = s.bare.get(purpose);
    if (hit !== undefined) return hit;
    const p = cc.purposes.get(purpose);
    if (p === undefined) return unknownId(cc, subject, purpose, unknownPurpose);
    return outcomeOf(s, p).bare;
  }
  const sc = pool[depth] ?? (pool[depth] = scratch());
  depth++;
  try {
    if (typeof context === 'object' && context !== null && PreparedContextImpl.holds(context)) {
      return decidePrepared(cc, clock, subject, purpose, context, sc);
    }
    return decideWithContext(cc, clock, subject, purpose, context, sc);
  } catch (error) {
    if (error instanceof ContextFault) return invalidContext(subject, purpose, error.field, error.problem);
    return invalidContext(subject, purpose, 'context', 'could not be read (a getter or Proxy threw)');
  } finally {
    depth--;
  }
}

function decideWithContext(cc: CompiledCatalogue, clock: () => unknown, subject: string, purpose: string, context: unknown, sc: Scratch): Decision {
  readContext(cc, context, sc);
  return decideWithFacts(cc, clock, subject, purpose, sc, sc);
}

/**
 * Rules 2-10 over a context already read. `t` holds this decision's `now`
 * (read lazily from the clock): the facts themselves for a context read now,
 * a pooled scratch for a prepared context, whose facts are shared and never written.
 */
function decideWithFacts(cc: CompiledCatalogue, clock: () => unknown, subject: string, purpose: string, sc: Scratch, t: Scratch): Decision {
  // Rule 2: identity. An exception never rescues an undeclared id.
  const s = cc.subjects.get(subject);
  if (s === undefined) return unknownId(cc, subject, purpose, unknownSubject);
  let o = s.outcomes.get(purpose);
  if (o === undefined) {
    const declared = cc.purposes.get(purpose);
    if (declared === undefined) return unknownId(cc, subject, purpose, unknownPurpose);
    o = outcomeOf(s, declared);
  }
  const p = o.purpose;

  // Rule 3: a legal exception overrides every rule below, if it is valid.
  if (sc.hasException) return decideException(cc, s, p, sc);

  // Rule 4: prohibited / not permitted.
  if (o.deny !== undefined) return o.deny;

  // Rule 5: retention.
  if (s.retention !== undefined && sc.hasEnded) {
    const end = retentionEnd(cc, s, sc.endedMs);
    if (end <= nowOf(t, clock)) {
      return denyOf(s, p, 'retention_expired', 'retention', s.retention.rule,
        `The retention period for data on ${s.title} (${s.retention.text} after the relationship ended) has passed: delete or anonymise the data instead of using it.`);
    }
  }

  // Rule 6: data categories; special-care data needs consent.
  let needsConsent = o.needsConsent;
  let worst: string | undefined;
  let specialCare = false;
  // All categories declared, among the first 30, and permitted for this purpose: no lookup per category.
  if (sc.dMask >= 0 && (sc.dMask & ~o.categoryMask) === 0) {
    specialCare = (sc.dMask & o.specialCareMask) !== 0;
  } else {
    for (let i = 0; i < sc.dN; i++) {
      const cat = sc.dCat[i] as string;
      const bit = cc.categoryBits.get(cat);
      // undefined: undeclared, or not among this purpose's categories. Bits cover the first 30 declared categories; the map, the rest.
      const special = bit === undefined ? p.categories.get(cat) : (o.categoryMask & bit) === 0 ? undefined : (o.specialCareMask & bit) !== 0;
      if (special === undefined) {
        if (worst === undefined || cat < worst) worst = cat;
      } else if (special) specialCare = true;
    }
  }
  if (worst !== undefined) {
    const declared = cc.dataCategories.has(worst);
    return denyOf(s, p, 'data_category_not_permitted', 'data_categories', declared ? p.categoriesRule : 'dataCategories',
      declared
        ? `"${p.title}" (${p.id}) may not touch the data category "${worst}": it is not in ${p.categoriesRule}. Leave that data out of this use.`
        : `The data category ${echo(worst)} is not declared in the catalogue, so no purpose may touch it.`);
  }
  let validConsent = -1;
  let consentDone = false;
  if (specialCare) {
    validConsent = bestConsent(sc, p, nowOf(t, clock));
    consentDone = true;
    if (validConsent < 0) {
      return consentDeny(sc, s, p, 'consent_required', p.categoriesRule,
        `Data on ${s.title} includes special-care data (APPI Art. 20(2), GDPR Art. 9), which may be used for "${p.title}" only with the person's consent; none is valid now.`);
    }
    needsConsent = false;
  }

  // Rule 7: consent.
  if (needsConsent) {
    const now = nowOf(t, clock);
    validConsent = consentDone ? validConsent : bestConsent(sc, p, now);
    consentDone = true;
    if (validConsent < 0) return consentFailure(sc, o, now);
  }

  // Rule 8: objection.
  if (o.objectable && sc.oN > 0) {
    const now = nowOf(t, clock);
    let hit = -1;
    for (let i = 0; i < sc.oN; i++) {
      const at = sc.oAt[i] as number;
      if (at <= now && p.scope.has(sc.oPurpose[i] as string)) {
        if (hit < 0 || at < (sc.oAt[hit] as number) || (at === sc.oAt[hit] && (sc.oPurpose[i] as string) < (sc.oPurpose[hit] as string))) hit = i;
      }
    }
    if (hit >= 0) {
      return recordDeny(s, p, 'objected', 'objection', 'context.objections',
        `The person objected to "${sc.oPurpose[hit]}", which covers "${p.title}" (${p.id}); stop this use for them (${p.objectableRule}).`,
        { kind: 'objection', purpose: sc.oPurpose[hit] as string, at: iso(sc.oAt[hit] as number) });
    }
  }

  // Rule 9: further use of data collected for other purposes.
  if (sc.hasCollected) {
    let compatible = false;
    for (let i = 0; i < sc.fN && !compatible; i++) compatible = p.furtherSources.has(sc.fPurpose[i] as string);
    if (!compatible) {
      if (!consentDone) {
        validConsent = bestConsent(sc, p, nowOf(t, clock));
        consentDone = true;
      }
      if (validConsent < 0) {
        return denyOf(s, p, 'incompatible_purpose', 'further_use', 'context.collectedFor',
          `The data was collected for other purposes, and "${p.title}" (${p.id}) is neither one of them nor declared compatible with them (compatibleWith). Obtain the person's consent for this purpose first.`);
      }
    }
  }

  // Rule 10: permitted. Cite the consent relied on, if it has an id.
  if (validConsent >= 0) {
    const id = sc.cId[validConsent];
    if (id !== undefined) {
      // Spelt out: copying a frozen decision with spread costs several times more.
      const a = o.allow;
      return Object.freeze({ allowed: true, reason: a.reason, subject: a.subject, purpose: a.purpose, rule: a.rule, step: a.step, basis: a.basis, law: a.law, message: a.message, consentId: id });
    }
  }
  return o.allow;
}

/**
 * A context read and validated once, for many decisions: what a request's
 * scope passes to every repository call under it. It holds a snapshot of the
 * context's facts (later changes to the original do not reach it) or the fault
 * that made it invalid, and the guard it was read for. Unforgeable: only
 * `prepareContext` makes one (the check is a private-field brand).
 */
export class PreparedContextImpl {
  readonly #facts: Scratch | ContextFault;
  readonly #cc: CompiledCatalogue;
  /** Kept readable for the audit trail, which records the actor and a keyed hash of the subject id. */
  readonly actor: string | undefined;
  readonly subjectId: string | undefined;

  constructor(cc: CompiledCatalogue, facts: Scratch | ContextFault, actor: string | undefined, subjectId: string | undefined) {
    this.#cc = cc;
    this.#facts = facts;
    this.actor = actor;
    this.subjectId = subjectId;
    Object.freeze(this);
  }

  static holds(value: object): value is PreparedContextImpl {
    return #facts in value;
  }

  static factsOf(value: PreparedContextImpl): Scratch | ContextFault {
    return value.#facts;
  }

  static catalogueOf(value: PreparedContextImpl): CompiledCatalogue {
    return value.#cc;
  }
}

/**
 * Reads and validates a context once. Never throws: an invalid context becomes
 * a prepared context every decision over which is `invalid_context`.
 *
 * @example
 * const prepared = prepareContext(compiled, { consents, dataCategories: ['contact'] });
 * decide(compiled, clock, 'customer', 'billing', prepared);
 */
export function prepareContext(cc: CompiledCatalogue, context: unknown): PreparedContextImpl {
  if (typeof context === 'object' && context !== null && PreparedContextImpl.holds(context)) {
    return PreparedContextImpl.catalogueOf(context) === cc ? context : new PreparedContextImpl(cc, new ContextFault('context', 'was prepared by another guard'), undefined, undefined);
  }
  const facts = scratch();
  try {
    readContext(cc, context === undefined ? {} : context, facts);
  } catch (error) {
    const fault = error instanceof ContextFault ? error : new ContextFault('context', 'could not be read (a getter or Proxy threw)');
    return new PreparedContextImpl(cc, fault, undefined, undefined);
  }
  // The facts hold only what the rules read (numbers, ids, flags), nothing the caller can still change.
  return new PreparedContextImpl(cc, facts, facts.actor, facts.subjectId);
}

function decidePrepared(cc: CompiledCatalogue, clock: () => unknown, subject: string, purpose: string, prepared: PreparedContextImpl, t: Scratch): Decision {
  const facts = PreparedContextImpl.factsOf(prepared);
  if (PreparedContextImpl.catalogueOf(prepared) !== cc) return invalidContext(subject, purpose, 'context', 'was prepared by another guard');
  if (facts instanceof ContextFault) return invalidContext(subject, purpose, facts.field, facts.problem);
  t.nowMs = facts.nowMs;
  return decideWithFacts(cc, clock, subject, purpose, facts, t);
}

function readContext(cc: CompiledCatalogue, context: unknown, sc: Scratch): void {
  if (context === null || typeof context !== 'object' || Array.isArray(context)) {
    throw new ContextFault('context', `must be an object or undefined; got ${describeType(context)}`);
  }
  sc.hasCollected = sc.hasEnded = sc.hasException = false;
  sc.cN = sc.oN = sc.dN = sc.fN = sc.dMask = 0;
  sc.nowMs = NONE;
  sc.actor = sc.subjectId = undefined;
  const ctx = context as Record<string, unknown>;
  for (const key in ctx) {
    if (!hasOwnProperty.call(ctx, key)) continue;
    const value = ctx[key];
    if (value === undefined) {
      // An absent value is fine for a known field; a misspelt one is refused even when it holds undefined.
      if (KNOWN_FIELDS.has(key)) continue;
      throw new ContextFault(`context[${echo(key)}]`, 'is not a context field (a misspelt field must not be ignored)');
    }
    switch (key) {
      case 'now':
        sc.nowMs = dateField(value, 'context.now');
        break;
      case 'consents':
        readConsents(cc, value, sc);
        break;
      case 'objections':
        readObjections(cc, value, sc);
        break;
      case 'dataCategories':
        sc.dN = readStrings(value, 'context.dataCategories', sc.dCat, undefined);
        sc.dMask = categoryMask(cc, sc);
        break;
      case 'collectedFor':
        sc.hasCollected = true;
        sc.fN = readStrings(value, 'context.collectedFor', sc.fPurpose, cc);
        break;
      case 'relationshipEndedAt':
        sc.endedMs = dateField(value, 'context.relationshipEndedAt');
        sc.hasEnded = true;
        break;
      case 'exception':
        readException(value, sc);
        sc.hasException = true;
        break;
      case 'actor':
      case 'subjectId':
        if (typeof value !== 'string') throw new ContextFault(`context.${key}`, `must be a string; got ${describeType(value)}`);
        sc[key] = value;
        break;
      default:
        throw new ContextFault(`context[${echo(key)}]`, 'is not a context field (a misspelt field must not be ignored)');
    }
  }
}

/** The data categories read into `sc` as one mask, or -1 when one of them has no bit (undeclared, or past the 30th). */
function categoryMask(cc: CompiledCatalogue, sc: Scratch): number {
  let mask = 0;
  for (let i = 0; i < sc.dN; i++) {
    const bit = cc.categoryBits.get(sc.dCat[i] as string);
    if (bit === undefined) return -1;
    mask |= bit;
  }
  return mask;
}

function dateField(value: unknown, field: string): number {
  const ms = toEpochMs(value);
  if (ms !== ms) {
    throw new ContextFault(field, `must be a valid Date or an RFC 3339 date-time with Z or an offset (2026-01-01T09:00:00+09:00); got ${describeType(value)}`);
  }
  return ms;
}

function recordAt(list: unknown, i: number, field: string): Record<string, unknown> {
  if (!hasOwn(list as object, i)) throw new ContextFault(`${field}[${i}]`, 'is missing (sparse array)');
  const r = (list as unknown[])[i];
  if (r === null || typeof r !== 'object' || Array.isArray(r)) throw new ContextFault(`${field}[${i}]`, `must be an object; got ${describeType(r)}`);
  return r as Record<string, unknown>;
}

function checkKeys(record: Record<string, unknown>, allowed: readonly string[], field: string, index = -1): void {
  for (const key in record) {
    if (hasOwn(record, key) && !allowed.includes(key)) {
      throw new ContextFault(`${index < 0 ? field : `${field}[${index}]`}[${echo(key)}]`, 'is not a field of this record');
    }
  }
}

function declaredPurpose(cc: CompiledCatalogue, value: unknown, field: string): string {
  if (typeof value !== 'string') throw new ContextFault(field, `must be a purpose id (string); got ${describeType(value)}`);
  if (!cc.purposes.has(value)) throw new ContextFault(field, `names the undeclared purpose ${echo(value)}`);
  return value;
}

const CONSENT_KEYS = ['purpose', 'grantedAt', 'withdrawnAt', 'expiresAt', 'id'] as const;
const OBJECTION_KEYS = ['purpose', 'at'] as const;
const EXCEPTION_KEYS = ['ground', 'reference', 'consentImpracticable'] as const;

function readConsents(cc: CompiledCatalogue, list: unknown, sc: Scratch): void {
  if (!Array.isArray(list)) throw new ContextFault('context.consents', `must be an array; got ${describeType(list)}`);
  const n = list.length;
  for (let i = 0; i < n; i++) {
    if (!readConsentFast(cc, list, i, sc)) readConsent(cc, list, i, sc);
  }
  sc.cN = n;
}

const getPrototypeOf = Object.getPrototypeOf;
const ObjectPrototype = Object.prototype;
const EMPTY = {};

/** Whether Object.prototype has no enumerable property, as it should (checked per record: a getter may pollute it mid-read). */
function plainPrototype(): boolean {
  for (const _ in EMPTY) return false;
  return true;
}

// Bits of the consent fields, for the fast path's one pass over a record's keys.
const PURPOSE = 1;
const GRANTED = 2;
const WITHDRAWN = 4;
const EXPIRES = 8;
const ID = 16;

/**
 * The common case, a plain record of own enumerable data fields, read with no
 * allocation and no `hasOwn` per field. Any doubt (another prototype, an
 * unknown key, a field that is inherited or not enumerable, a value of the
 * wrong type) returns false, and `readConsent` reads the record again with every
 * check and names what is wrong: both accept exactly the same records and read
 * the same facts from them.
 */
function readConsentFast(cc: CompiledCatalogue, list: unknown[], i: number, sc: Scratch): boolean {
  const r = list[i];
  // An own element (a hole must not read through to a polluted Array.prototype), a plain object
  // (not an array), and an Object.prototype with nothing enumerable: `for...in` then lists own keys only.
  if (typeof r !== 'object' || r === null || getPrototypeOf(r) !== ObjectPrototype || !hasOwnProperty.call(list, i) || !plainPrototype()) return false;
  let seen = 0;
  for (const key in r) {
    switch (key) {
      case 'purpose': seen |= PURPOSE; break;
      case 'grantedAt': seen |= GRANTED; break;
      case 'withdrawnAt': seen |= WITHDRAWN; break;
      case 'expiresAt': seen |= EXPIRES; break;
      case 'id': seen |= ID; break;
      default: return false;
    }
  }
  if ((seen & (PURPOSE | GRANTED)) !== (PURPOSE | GRANTED)) return false;
  const c = r as Record<string, unknown>;
  // A field not seen above reads as undefined unless it is non-enumerable or inherited: the slow path decides those.
  const purpose = c['purpose'];
  const withdrawnRaw = c['withdrawnAt'];
  const expiresRaw = c['expiresAt'];
  const id = c['id'];
  if ((withdrawnRaw !== undefined && (seen & WITHDRAWN) === 0) || (expiresRaw !== undefined && (seen & EXPIRES) === 0) || (id !== undefined && (seen & ID) === 0)) return false;
  if (typeof purpose !== 'string' || !cc.purposes.has(purpose) || (id !== undefined && typeof id !== 'string')) return false;
  const granted = toEpochMs(c['grantedAt']);
  const withdrawn = withdrawnRaw === undefined ? NONE : toEpochMs(withdrawnRaw);
  const expires = expiresRaw === undefined ? NONE : toEpochMs(expiresRaw);
  // NaN fails every comparison: an unreadable date (or one before grantedAt) goes to the slow path.
  if (!(granted === granted && (withdrawnRaw === undefined || withdrawn >= granted) && (expiresRaw === undefined || expires >= granted))) return false;
  sc.cPurpose[i] = purpose;
  sc.cGranted[i] = granted;
  sc.cWithdrawn[i] = withdrawn;
  sc.cExpires[i] = expires;
  sc.cId[i] = id as string | undefined;
  return true;
}

/** One consent record with every check, naming the first problem (see `readConsentFast`). */
function readConsent(cc: CompiledCatalogue, list: unknown[], i: number, sc: Scratch): void {
  const r = recordAt(list, i, 'context.consents');
  // One pass over the own enumerable keys finds the fields present and any unknown one (checkKeys names it);
  // hasOwn answers only for the fields not listed, which may still be own but not enumerable.
  let hasPurpose = false;
  let hasGranted = false;
  let hasWithdrawn = false;
  let hasExpires = false;
  let hasId = false;
  const keys = Object.keys(r);
  for (let k = 0; k < keys.length; k++) {
    switch (keys[k]) {
      case 'purpose': hasPurpose = true; break;
      case 'grantedAt': hasGranted = true; break;
      case 'withdrawnAt': hasWithdrawn = true; break;
      case 'expiresAt': hasExpires = true; break;
      case 'id': hasId = true; break;
      default: checkKeys(r, CONSENT_KEYS, 'context.consents', i);
    }
  }
  hasPurpose ||= hasOwn(r, 'purpose');
  hasGranted ||= hasOwn(r, 'grantedAt');
  hasWithdrawn ||= hasOwn(r, 'withdrawnAt');
  hasExpires ||= hasOwn(r, 'expiresAt');
  hasId ||= hasOwn(r, 'id');
  const purposeRaw = hasPurpose ? r['purpose'] : undefined;
  const purpose = typeof purposeRaw === 'string' && cc.purposes.has(purposeRaw) ? purposeRaw : declaredPurpose(cc, purposeRaw, `context.consents[${i}].purpose`);
  const grantedRaw = hasGranted ? r['grantedAt'] : undefined;
  if (grantedRaw === undefined) throw new ContextFault(`context.consents[${i}].grantedAt`, 'is required');
  const granted = consentDate(grantedRaw, i, 'grantedAt');
  const withdrawnRaw = hasWithdrawn ? r['withdrawnAt'] : undefined;
  const withdrawn = withdrawnRaw === undefined ? NONE : consentDate(withdrawnRaw, i, 'withdrawnAt');
  const expiresRaw = hasExpires ? r['expiresAt'] : undefined;
  const expires = expiresRaw === undefined ? NONE : consentDate(expiresRaw, i, 'expiresAt');
  if (withdrawn < granted) throw new ContextFault(`context.consents[${i}].withdrawnAt`, 'is before grantedAt');
  if (expires < granted) throw new ContextFault(`context.consents[${i}].expiresAt`, 'is before grantedAt');
  const id = hasId ? r['id'] : undefined;
  if (id !== undefined && typeof id !== 'string') throw new ContextFault(`context.consents[${i}].id`, `must be a string; got ${describeType(id)}`);
  sc.cPurpose[i] = purpose;
  sc.cGranted[i] = granted;
  sc.cWithdrawn[i] = withdrawn;
  sc.cExpires[i] = expires;
  sc.cId[i] = id;
}

/** A consent's date; on a bad value, `dateField` converts it again (a plain value, no getter) and throws with the field's name. */
function consentDate(value: unknown, i: number, key: string): number {
  const ms = toEpochMs(value);
  return ms === ms ? ms : dateField(value, `context.consents[${i}].${key}`);
}

function readObjections(cc: CompiledCatalogue, list: unknown, sc: Scratch): void {
  if (!Array.isArray(list)) throw new ContextFault('context.objections', `must be an array; got ${describeType(list)}`);
  const n = list.length;
  for (let i = 0; i < n; i++) {
    const field = `context.objections[${i}]`;
    const r = recordAt(list, i, 'context.objections');
    checkKeys(r, OBJECTION_KEYS, field);
    sc.oPurpose[i] = declaredPurpose(cc, hasOwn(r, 'purpose') ? r['purpose'] : undefined, `${field}.purpose`);
    const at = hasOwn(r, 'at') ? r['at'] : undefined;
    if (at === undefined) throw new ContextFault(`${field}.at`, 'is required');
    sc.oAt[i] = dateField(at, `${field}.at`);
  }
  sc.oN = n;
}

function readStrings(list: unknown, field: string, into: string[], purposesOf: CompiledCatalogue | undefined): number {
  if (!Array.isArray(list)) throw new ContextFault(field, `must be an array of ids; got ${describeType(list)}`);
  const n = list.length;
  for (let i = 0; i < n; i++) {
    if (!hasOwn(list, i)) throw new ContextFault(`${field}[${i}]`, 'is missing (sparse array)');
    const v: unknown = list[i];
    if (purposesOf !== undefined) into[i] = declaredPurpose(purposesOf, v, `${field}[${i}]`);
    else if (typeof v === 'string') into[i] = v;
    else throw new ContextFault(`${field}[${i}]`, `must be a string; got ${describeType(v)}`);
  }
  return n;
}

function readException(value: unknown, sc: Scratch): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ContextFault('context.exception', `must be an object; got ${describeType(value)}`);
  }
  const r = value as Record<string, unknown>;
  checkKeys(r, EXCEPTION_KEYS, 'context.exception');
  const ground = hasOwn(r, 'ground') ? r['ground'] : undefined;
  const reference = hasOwn(r, 'reference') ? r['reference'] : undefined;
  const impracticable = hasOwn(r, 'consentImpracticable') ? r['consentImpracticable'] : undefined;
  if (typeof ground !== 'string') throw new ContextFault('context.exception.ground', `must be a string; got ${describeType(ground)}`);
  if (typeof reference !== 'string') throw new ContextFault('context.exception.reference', `must be a string; got ${describeType(reference)}`);
  if (impracticable !== undefined && typeof impracticable !== 'boolean') {
    throw new ContextFault('context.exception.consentImpracticable', `must be a boolean; got ${describeType(impracticable)}`);
  }
  sc.exGround = ground;
  sc.exReference = reference;
  sc.exImpracticable = impracticable === true;
}

function nowOf(sc: Scratch, clock: () => unknown): number {
  if (sc.nowMs === sc.nowMs) return sc.nowMs;
  let ms = NONE;
  try {
    const value = clock();
    // The guard's own clock may give epoch milliseconds (the default, `Date.now`, allocates nothing); a context's dates may not.
    ms = typeof value === 'number' ? (Number.isFinite(value) ? value : NONE) : toEpochMs(value);
  } catch {
    // handled below: a broken clock is a fault of the guard's configuration
  }
  if (ms !== ms) throw new ContextFault('now', "the guard's clock did not return a valid Date");
  sc.nowMs = ms;
  return ms;
}

function retentionEnd(cc: CompiledCatalogue, s: CompiledSubject, ended: number): number {
  return add(ended, (s.retention as NonNullable<CompiledSubject['retention']>).duration as Duration, { in: cc.calendar }).getTime();
}

/** Index of the consent that counts, chosen independently of the order of `consents`; -1 if none. */
function bestConsent(sc: Scratch, p: CompiledPurpose, now: number): number {
  let best = -1;
  for (let i = 0; i < sc.cN; i++) {
    if (!p.scope.has(sc.cPurpose[i] as string)) continue;
    const granted = sc.cGranted[i] as number;
    const withdrawn = sc.cWithdrawn[i] as number;
    const expires = sc.cExpires[i] as number;
    // Half-open: [grantedAt, min(expiresAt, withdrawnAt)). NaN (absent) compares false, so `!(x <= now)`.
    if (granted <= now && !(expires <= now) && !(withdrawn <= now)) {
      if (best < 0 || preferValid(sc, i, best)) best = i;
    }
  }
  return best;
}

function preferValid(sc: Scratch, i: number, j: number): boolean {
  const di = (sc.cPurpose[i] as string).length;
  const dj = (sc.cPurpose[j] as string).length;
  if (di !== dj) return di > dj; // the most specific consent
  if (sc.cGranted[i] !== sc.cGranted[j]) return (sc.cGranted[i] as number) > (sc.cGranted[j] as number); // the latest
  return compareIds(sc.cId[i], sc.cId[j]) < 0;
}

function compareIds(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? -1 : 1;
}

/**
 * Explains why no consent counts, from the most telling candidate: the latest
 * consent already given (withdrawn before expired on a tie), else the earliest one not yet valid.
 */
function consentFailure(sc: Scratch, o: Outcome, now: number): DenyDecision {
  const s = o.subject;
  const p = o.purpose;
  let given = -1;
  let givenEnd = NONE;
  let givenWithdrawn = false;
  let future = -1;
  for (let i = 0; i < sc.cN; i++) {
    if (!p.scope.has(sc.cPurpose[i] as string)) continue;
    const granted = sc.cGranted[i] as number;
    if (granted > now) {
      if (future < 0 || granted < (sc.cGranted[future] as number) || (granted === sc.cGranted[future] && compareIds(sc.cId[i], sc.cId[future]) < 0)) future = i;
      continue;
    }
    const withdrawn = sc.cWithdrawn[i] as number;
    const expires = sc.cExpires[i] as number;
    const isWithdrawn = withdrawn <= now && !(expires < withdrawn);
    const end = isWithdrawn ? withdrawn : expires;
    const better =
      given < 0 ||
      granted > (sc.cGranted[given] as number) ||
      (granted === sc.cGranted[given] && ((isWithdrawn && !givenWithdrawn) || (isWithdrawn === givenWithdrawn && compareIds(sc.cId[i], sc.cId[given]) < 0)));
    if (better) {
      given = i;
      givenEnd = end;
      givenWithdrawn = isWithdrawn;
    }
  }
  // Rule 7 runs only for purposes that need consent: they have these messages, and their context-free decision is the prebuilt consent_required deny.
  const messages = o.consentMessages as ConsentMessages;
  if (given >= 0) {
    const reason = givenWithdrawn ? 'consent_withdrawn' : 'consent_expired';
    return consentDeny(sc, s, p, reason, 'context.consents', messages[reason], given, givenEnd);
  }
  if (future >= 0) {
    return consentDeny(sc, s, p, 'consent_not_yet_valid', 'context.consents', messages.consent_not_yet_valid, future, sc.cGranted[future] as number);
  }
  return o.bare as DenyDecision;
}

function consentDeny(sc: Scratch, s: CompiledSubject, p: CompiledPurpose, reason: DenyReason, rule: string, message: string, index = -1, at = NONE): DenyDecision {
  if (index < 0) return denyOf(s, p, reason, 'consent', rule, message);
  const id = sc.cId[index];
  const purpose = sc.cPurpose[index] as string;
  return recordDeny(s, p, reason, 'consent', rule, message, id === undefined ? { kind: 'consent', purpose, at: iso(at) } : { kind: 'consent', purpose, at: iso(at), id });
}

function badException(s: CompiledSubject, p: CompiledPurpose, why: string): DenyDecision {
  return denyOf(s, p, 'exception_invalid', 'exception', 'context.exception', `The legal exception cannot be relied on: ${why}.`);
}

function decideException(cc: CompiledCatalogue, s: CompiledSubject, p: CompiledPurpose, sc: Scratch): Decision {
  const ground = EXCEPTION_GROUNDS.get(sc.exGround);
  if (ground === undefined) return badException(s, p, `${echo(sc.exGround)} is not an APPI Art. 18(3) ground (${[...EXCEPTION_GROUNDS.keys()].join(', ')})`);
  if (!/\S/.test(sc.exReference)) return badException(s, p, 'reference must name the statute, order or case relied on');
  if (ground.needsImpracticable && !sc.exImpracticable) return badException(s, p, `${sc.exGround} also needs consentImpracticable: true (obtaining consent is difficult)`);
  if (sc.exGround === 'academic_research' && cc.catalogue.controller.academicResearchInstitution !== true) {
    return badException(s, p, 'academic_research is available only to an academic research institution (controller.academicResearchInstitution)');
  }
  const allow: AllowDecision = {
    allowed: true,
    reason: 'permitted_by_exception',
    subject: s.id,
    purpose: p.id,
    rule: 'context.exception',
    step: 'exception',
    basis: ground.basis,
    law: [ground.law, ...lawFor('permitted_by_exception').slice(1)],
    message: `Data on ${s.title} (${s.id}) may be used for "${p.title}" (${p.id}) under the legal exception ${sc.exGround} (${ground.law}); record why in the exception reference.`,
    exception: { ground: sc.exGround as ExceptionGround, reference: sc.exReference },
  };
  return Object.freeze(allow);
}

/**
 * Denies for undeclared ids, kept per guard: such ids come from a caller's bug and repeat, and writing
 * the message costs several times the check. Bounded: short ids only, and cleared when full.
 */
const UNKNOWN_MAX_ID = 64;
const UNKNOWN_MAX_PAIRS = 256;

function unknownId(cc: CompiledCatalogue, subject: string, purpose: string, build: (cc: CompiledCatalogue, subject: string, purpose: string) => DenyDecision): DenyDecision {
  if (subject.length > UNKNOWN_MAX_ID || purpose.length > UNKNOWN_MAX_ID) return build(cc, subject, purpose);
  const cache = cc.unknownDenies;
  let byPurpose = cache.bySubject.get(subject);
  const hit = byPurpose?.get(purpose);
  if (hit !== undefined) return hit;
  if (cache.pairs >= UNKNOWN_MAX_PAIRS) {
    cache.bySubject.clear();
    cache.pairs = 0;
    byPurpose = undefined;
  }
  if (byPurpose === undefined) cache.bySubject.set(subject, (byPurpose = new Map()));
  const deny = build(cc, subject, purpose);
  byPurpose.set(purpose, deny);
  cache.pairs++;
  return deny;
}

function unknownSubject(cc: CompiledCatalogue, subject: string, purpose: string): DenyDecision {
  return denyOf({ id: subject }, { id: purpose }, 'unknown_subject', 'identity', 'subjects',
    `${echo(subject)} is not a subject category of catalogue ${cc.catalogue.version}; ids match exactly (case and spaces count). Declared: ${cc.subjectList}.`);
}

function unknownPurpose(cc: CompiledCatalogue, subject: string, purpose: string): DenyDecision {
  return denyOf({ id: subject }, { id: purpose }, 'unknown_purpose', 'identity', 'purposes',
    `${echo(purpose)} is not a purpose declared in catalogue ${cc.catalogue.version}; ids match exactly (case and spaces count). Declared: ${cc.purposeList}.`);
}

function invalidInput(subject: unknown, purpose: unknown, field: 'subject' | 'purpose'): DenyDecision {
  let got = 'an unreadable value';
  try {
    got = describeType(field === 'subject' ? subject : purpose);
  } catch {
    // a revoked Proxy cannot even be asked whether it is an array
  }
  return denyOf({ id: typeof subject === 'string' ? subject : '' }, { id: typeof purpose === 'string' ? purpose : '' }, 'invalid_input', 'input', field,
    `The ${field} must be an id string; got ${got}. Nothing was allowed.`, { field });
}

function invalidContext(subject: string, purpose: string, field: string, problem: string): DenyDecision {
  return denyOf({ id: subject }, { id: purpose }, 'invalid_context', 'context', field, `${field} ${problem}. Nothing was allowed.`, { field });
}
