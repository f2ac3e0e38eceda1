/** Denies that do not depend on the rules' facts: undeclared ids, bad input, an invalid context or exception. */
import { type CompiledCatalogue, type CompiledPurpose, type CompiledSubject, denyOf } from '../compile/compile.js';
import { describeType, echo } from '../decision/messages.js';
import type { DenyDecision } from '../decision/types.js';

export function badException(s: CompiledSubject, p: CompiledPurpose, why: string): DenyDecision {
  return denyOf(s, p, 'exception_invalid', 'exception', 'context.exception', `The legal exception cannot be relied on: ${why}.`);
}

/**
 * Denies for undeclared ids, kept per guard: such ids come from a caller's bug and repeat, and writing
 * the message costs several times the check. Bounded: short ids only, and cleared when full.
 */
const UNKNOWN_MAX_ID = 64;

const UNKNOWN_MAX_PAIRS = 256;

export function unknownId(cc: CompiledCatalogue, subject: string, purpose: string, build: (cc: CompiledCatalogue, subject: string, purpose: string) => DenyDecision): DenyDecision {
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
  if (byPurpose === undefined) {
    byPurpose = new Map();
    cache.bySubject.set(subject, byPurpose);
  }
  const deny = build(cc, subject, purpose);
  byPurpose.set(purpose, deny);
  cache.pairs++;
  return deny;
}

export function unknownSubject(cc: CompiledCatalogue, subject: string, purpose: string): DenyDecision {
  return denyOf({ id: subject }, { id: purpose }, 'unknown_subject', 'identity', 'subjects',
    `${echo(subject)} is not a subject category of catalogue ${cc.catalogue.version}; ids match exactly (case and spaces count). Declared: ${cc.subjectList}.`);
}

export function unknownPurpose(cc: CompiledCatalogue, subject: string, purpose: string): DenyDecision {
  return denyOf({ id: subject }, { id: purpose }, 'unknown_purpose', 'identity', 'purposes',
    `${echo(purpose)} is not a purpose declared in catalogue ${cc.catalogue.version}; ids match exactly (case and spaces count). Declared: ${cc.purposeList}.`);
}

export function invalidInput(subject: unknown, purpose: unknown, field: 'subject' | 'purpose'): DenyDecision {
  let got = 'an unreadable value';
  try {
    got = describeType(field === 'subject' ? subject : purpose);
  } catch {
    // a revoked Proxy cannot even be asked whether it is an array
  }
  return denyOf({ id: typeof subject === 'string' ? subject : '' }, { id: typeof purpose === 'string' ? purpose : '' }, 'invalid_input', 'input', field,
    `The ${field} must be an id string; got ${got}. Nothing was allowed.`, { field });
}

export function invalidContext(subject: string, purpose: string, field: string, problem: string): DenyDecision {
  return denyOf({ id: subject }, { id: purpose }, 'invalid_context', 'context', field, `${field} ${problem}. Nothing was allowed.`, { field });
}
