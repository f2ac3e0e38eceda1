import { add, type Duration } from 'date-fns';
import { type CompiledCatalogue, type CompiledPurpose, type CompiledSubject, type Outcome, outcomeOf } from '../compile/compile.js';
import { lawFor } from '../decision/law.js';
import { echo } from '../decision/messages.js';
import type { AllowDecision, Decision, ExceptionGround } from '../decision/types.js';
import { toEpochMs } from '../rules/dates.js';
import { EXCEPTION_GROUNDS } from '../rules/exception.js';
import { bestConsent, consentFailure } from './consent.js';
import { badException, invalidContext, invalidInput, unknownId, unknownPurpose, unknownSubject } from './denials.js';
import { categoryDeny, checkCategories, compatibleSource, consentAllow, incompatibleDeny, objectionDeny, retentionDeny, specialCareDeny } from './explain.js';
import { ContextFault, NONE, type Scratch, scratch } from './facts.js';
import { PreparedContextImpl } from './prepared.js';
import { readContext } from './read-context.js';

export { PreparedContextImpl, prepareContext } from './prepared.js';

const pool: Scratch[] = [];

let depth = 0;

/**
 * Decides one use. Total: returns a Decision for any input and never throws.
 *
 * @example
 * decide(compileCatalogue(defaultCatalogue), () => new Date(), 'customer', 'billing', undefined).allowed; // true
 */
export function decide(cc: CompiledCatalogue, clock: () => unknown, subject: unknown, purpose: unknown, context: unknown): Decision {
  // Kept small so that V8 inlines it into the caller: the common check, without a context, is then two map reads in place.
  if (typeof subject !== 'string' || typeof purpose !== 'string') return invalidInput(subject, purpose, typeof subject === 'string' ? 'purpose' : 'subject');
  if (context !== undefined) return decideContext(cc, clock, subject, purpose, context);
  const s = cc.subjects.get(subject);
  return s?.bare.get(purpose) ?? decideBare(cc, s, subject, purpose);
}

/** Without a context, for a pair not seen yet or an undeclared id. */
function decideBare(cc: CompiledCatalogue, s: CompiledSubject | undefined, subject: string, purpose: string): Decision {
  if (s === undefined) return unknownId(cc, subject, purpose, unknownSubject);
  const p = cc.purposes.get(purpose);
  if (p === undefined) return unknownId(cc, subject, purpose, unknownPurpose);
  return outcomeOf(s, p).bare;
}

/** The outcome of a pair not met yet, or undefined for an undeclared purpose. */
function outcomeFor(cc: CompiledCatalogue, s: CompiledSubject, purpose: string): Outcome | undefined {
  const p = cc.purposes.get(purpose);
  return p === undefined ? undefined : outcomeOf(s, p);
}

function decideContext(cc: CompiledCatalogue, clock: () => unknown, subject: string, purpose: string, context: unknown): Decision {
  pool[depth] ??= scratch();
  const sc = pool[depth] as Scratch;
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
  const o = s.outcomes.get(purpose) ?? outcomeFor(cc, s, purpose);
  if (o === undefined) return unknownId(cc, subject, purpose, unknownPurpose);
  const p = o.purpose;

  // Rule 3: a legal exception overrides every rule below, if it is valid.
  if (sc.hasException) return decideException(cc, s, p, sc);

  // Rule 4: prohibited / not permitted.
  if (o.deny !== undefined) return o.deny;

  // Rule 5: retention.
  // Fail closed: an end that cannot be computed (NaN, past the range of a Date) counts as passed.
  if (s.retention !== undefined && sc.hasEnded && !(retentionEnd(cc, s, sc.endedMs) > nowOf(t, clock))) return retentionDeny(s, p);

  // Rule 6: data categories; special-care data needs consent.
  // All categories declared, among the first 30, and permitted for this purpose: two mask tests, no lookup per category.
  let specialCare: boolean;
  if (sc.dMask >= 0 && (sc.dMask & ~o.categoryMask) === 0) {
    specialCare = (sc.dMask & o.specialCareMask) !== 0;
  } else {
    const checked = checkCategories(cc, o, sc);
    if (typeof checked === 'string') return categoryDeny(cc, s, p, checked);
    specialCare = checked;
  }
  let validConsent = -1;
  let consentDone = false;
  if (specialCare) {
    validConsent = bestConsent(sc, p, nowOf(t, clock));
    consentDone = true;
    if (validConsent < 0) return specialCareDeny(sc, s, p);
  }

  // Rule 7: consent (already settled above for special-care data).
  if (o.needsConsent && !consentDone) {
    const now = nowOf(t, clock);
    validConsent = bestConsent(sc, p, now);
    consentDone = true;
    if (validConsent < 0) return consentFailure(sc, o, now);
  }

  // Rule 8: objection.
  if (o.objectable && sc.oN > 0) {
    const denied = objectionDeny(sc, s, p, nowOf(t, clock));
    if (denied !== undefined) return denied;
  }

  // Rule 9: further use of data collected for other purposes needs a compatible purpose or consent.
  if (sc.hasCollected && !compatibleSource(sc, p)) {
    if (!consentDone) validConsent = bestConsent(sc, p, nowOf(t, clock));
    if (validConsent < 0) return incompatibleDeny(s, p);
  }

  // Rule 10: permitted. Cite the consent relied on, if it has an id.
  if (validConsent >= 0) {
    const id = sc.cId[validConsent];
    if (id !== undefined) return consentAllow(o.allow, id);
  }
  return o.allow;
}

function decidePrepared(cc: CompiledCatalogue, clock: () => unknown, subject: string, purpose: string, prepared: PreparedContextImpl, t: Scratch): Decision {
  const facts = PreparedContextImpl.factsOf(prepared);
  if (PreparedContextImpl.catalogueOf(prepared) !== cc) return invalidContext(subject, purpose, 'context', 'was prepared by another guard');
  if (facts instanceof ContextFault) return invalidContext(subject, purpose, facts.field, facts.problem);
  t.nowMs = facts.nowMs;
  return decideWithFacts(cc, clock, subject, purpose, facts, t);
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

function decideException(cc: CompiledCatalogue, s: CompiledSubject, p: CompiledPurpose, sc: Scratch): Decision {
  const ground = EXCEPTION_GROUNDS.get(sc.exGround);
  if (ground === undefined) return badException(s, p, `${echo(sc.exGround)} is not an APPI Art. 18(3) ground (${[...EXCEPTION_GROUNDS.keys()].join(', ')})`);
  if (!/\S/.test(sc.exReference)) return badException(s, p, 'reference must name the statute, order or case relied on');
  if (ground.needsImpracticable && !sc.exImpracticable) return badException(s, p, `${sc.exGround} also needs consentImpracticable: true (obtaining consent is difficult)`);
  if (sc.exGround === 'academic_research' && !cc.academicResearch) {
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
  // Built for this call and held by its caller alone: not frozen (see `sealForRecord`).
  return allow;
}
