/** Rule 7's consent: which record counts, and why none does (the explaining deny). */
import { type CompiledPurpose, type CompiledSubject, type ConsentMessages, denyOf, inScope, type Outcome, recordDeny } from '../compile/compile.js';
import type { DenyDecision, DenyReason } from '../decision/types.js';
import { iso } from '../rules/iso.js';
import { NONE, type Scratch } from './facts.js';

/** Index of the consent that counts, chosen independently of the order of `consents`; -1 if none. */
export function bestConsent(sc: Scratch, p: CompiledPurpose, now: number): number {
  let best = -1;
  for (let i = 0; i < sc.cN; i++) {
    if (!inScope(p, sc.cPurpose[i] as CompiledPurpose)) continue;
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
  const di = (sc.cPurpose[i] as CompiledPurpose).depth;
  const dj = (sc.cPurpose[j] as CompiledPurpose).depth;
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
export function consentFailure(sc: Scratch, o: Outcome, now: number): DenyDecision {
  const s = o.subject;
  const p = o.purpose;
  let given = -1;
  let givenEnd = NONE;
  let givenWithdrawn = false;
  let future = -1;
  for (let i = 0; i < sc.cN; i++) {
    if (!inScope(p, sc.cPurpose[i] as CompiledPurpose)) continue;
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

export function consentDeny(sc: Scratch, s: CompiledSubject, p: CompiledPurpose, reason: DenyReason, rule: string, message: string, index = -1, at = NONE): DenyDecision {
  if (index < 0) return denyOf(s, p, reason, 'consent', rule, message);
  const id = sc.cId[index];
  const purpose = (sc.cPurpose[index] as CompiledPurpose).id;
  return recordDeny(s, p, reason, 'consent', rule, message, id === undefined ? { kind: 'consent', purpose, at: iso(at) } : { kind: 'consent', purpose, at: iso(at), id });
}
