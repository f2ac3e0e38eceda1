/** Reads `context.consents` into the facts: a fast path for plain records, the full check for the rest. */
import type { CompiledCatalogue, CompiledPurpose } from '../compile/compile.js';
import { describeType } from '../decision/messages.js';
import { toEpochMs } from '../rules/dates.js';
import { ContextFault, NONE, type Scratch } from './facts.js';
import { checkKeys, dateField, declaredPurpose, ownRecordAt } from './fields.js';

const hasOwn = Object.hasOwn;
const isOwn = Object.prototype.hasOwnProperty;

const CONSENT_KEYS = ['purpose', 'grantedAt', 'withdrawnAt', 'expiresAt', 'id'] as const;

export function readConsents(cc: CompiledCatalogue, list: unknown, sc: Scratch): void {
  if (!Array.isArray(list)) throw new ContextFault('context.consents', `must be an array; got ${describeType(list)}`);
  const n = list.length;
  for (let i = 0; i < n; i++) {
    // An own element (a hole must not read through to a polluted Array.prototype), read once for both readers.
    if (!isOwn.call(list, i)) throw new ContextFault(`context.consents[${i}]`, 'is missing (sparse array)');
    const r: unknown = list[i];
    if (!readConsentFast(cc, r, i, sc)) readConsent(cc, r, i, sc);
  }
  sc.cN = n;
}

// Bits of the consent fields, for the fast path's one pass over a record's keys.
const PURPOSE = 1;

const GRANTED = 2;

const WITHDRAWN = 4;

const EXPIRES = 8;

const ID = 16;

/**
 * The common case, a plain record of own enumerable data fields, read with no
 * allocation and no `hasOwn` call (V8 turns the ownership test of each key
 * `for...in` lists into a shape test). Returns false, having read no field,
 * when the record is not such a one (an array, an unknown or inherited key, a
 * required field not listed), and `readConsent` reads it with every check and
 * names what is wrong. Once it has read the fields it never hands the record
 * over: values it doubts go to `acceptConsent`, which names the problem from
 * the same values. Every field is read once, so a getter cannot answer one
 * thing to one reader and another to the next.
 */
function readConsentFast(cc: CompiledCatalogue, r: unknown, i: number, sc: Scratch): boolean {
  // A plain object (not an array), and an Object.prototype without consent fields: every consent field
  // `for...in` lists is then the record's own, and any other key sends it to the full check.
  // (The prototype is read per record: a getter in an earlier record may have polluted it.)
  // An object literal (its constructor, one cached read); anything else goes to the full check, which refuses a
  // record whose prototype holds one of its fields (a class whose getter holds withdrawnAt is not never withdrawn).
  if (typeof r !== 'object' || r === null || (r as { constructor?: unknown }).constructor !== Object || Array.isArray(r)) return false;
  let seen = 0;
  for (const key in r) {
    // Written out in full, which V8 reduces to a shape test inside `for...in` (see read-context.ts); an
    // inherited key (a polluted prototype) sends the record to the full check, which reads own fields only.
    // biome-ignore lint/suspicious/noPrototypeBuiltins: this exact form is what V8 reduces
    if (!(Object.prototype.hasOwnProperty === isOwn ? Object.prototype.hasOwnProperty.call(r, key) : isOwn.call(r, key))) return false;
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
  const purposeId = c['purpose'];
  const grantedRaw = c['grantedAt'];
  let withdrawnRaw = c['withdrawnAt'];
  let expiresRaw = c['expiresAt'];
  let id = c['id'];
  // A field `for...in` did not list reads as undefined, unless it is own but not enumerable (kept, as the
  // full check keeps it) or inherited from a prototype a getter above has just polluted (dropped).
  if (withdrawnRaw !== undefined && (seen & WITHDRAWN) === 0 && !hasOwn(r, 'withdrawnAt')) withdrawnRaw = undefined;
  if (expiresRaw !== undefined && (seen & EXPIRES) === 0 && !hasOwn(r, 'expiresAt')) expiresRaw = undefined;
  if (id !== undefined && (seen & ID) === 0 && !hasOwn(r, 'id')) id = undefined;
  const purpose = typeof purposeId === 'string' ? cc.purposes.get(purposeId) : undefined;
  const granted = toEpochMs(grantedRaw);
  const withdrawn = withdrawnRaw === undefined ? NONE : toEpochMs(withdrawnRaw);
  const expires = expiresRaw === undefined ? NONE : toEpochMs(expiresRaw);
  // NaN fails every comparison: an unreadable date (or one before grantedAt) is for acceptConsent to name.
  if (
    purpose !== undefined && (id === undefined || typeof id === 'string') &&
    granted === granted && (withdrawnRaw === undefined || withdrawn >= granted) && (expiresRaw === undefined || expires >= granted)
  ) {
    store(sc, i, purpose, granted, withdrawn, expires, id as string | undefined);
  } else {
    acceptConsent(cc, sc, i, purposeId, grantedRaw, withdrawnRaw, expiresRaw, id);
  }
  return true;
}

/** One consent record with every check, naming the first problem (see `readConsentFast`). */
function readConsent(cc: CompiledCatalogue, r: unknown, i: number, sc: Scratch): void {
  const record = ownRecordAt(r, `context.consents[${i}]`, CONSENT_KEYS);
  // One pass over the own enumerable keys finds the fields present and any unknown one (checkKeys names it);
  // hasOwn answers only for the fields not listed, which may still be own but not enumerable.
  let hasPurpose = false;
  let hasGranted = false;
  let hasWithdrawn = false;
  let hasExpires = false;
  let hasId = false;
  const keys = Object.keys(record);
  for (let k = 0; k < keys.length; k++) {
    switch (keys[k]) {
      case 'purpose': hasPurpose = true; break;
      case 'grantedAt': hasGranted = true; break;
      case 'withdrawnAt': hasWithdrawn = true; break;
      case 'expiresAt': hasExpires = true; break;
      case 'id': hasId = true; break;
      default: checkKeys(record, CONSENT_KEYS, 'context.consents', i);
    }
  }
  hasPurpose ||= hasOwn(record, 'purpose');
  hasGranted ||= hasOwn(record, 'grantedAt');
  hasWithdrawn ||= hasOwn(record, 'withdrawnAt');
  hasExpires ||= hasOwn(record, 'expiresAt');
  hasId ||= hasOwn(record, 'id');
  acceptConsent(
    cc, sc, i,
    hasPurpose ? record['purpose'] : undefined,
    hasGranted ? record['grantedAt'] : undefined,
    hasWithdrawn ? record['withdrawnAt'] : undefined,
    hasExpires ? record['expiresAt'] : undefined,
    hasId ? record['id'] : undefined,
  );
}

/** Checks the fields of record `i`, as read once by either reader, and stores them, or throws naming the first problem. */
function acceptConsent(cc: CompiledCatalogue, sc: Scratch, i: number, purposeRaw: unknown, grantedRaw: unknown, withdrawnRaw: unknown, expiresRaw: unknown, id: unknown): void {
  const purpose = declaredPurpose(cc, purposeRaw, `context.consents[${i}].purpose`);
  if (grantedRaw === undefined) throw new ContextFault(`context.consents[${i}].grantedAt`, 'is required');
  const granted = consentDate(grantedRaw, i, 'grantedAt');
  const withdrawn = withdrawnRaw === undefined ? NONE : consentDate(withdrawnRaw, i, 'withdrawnAt');
  const expires = expiresRaw === undefined ? NONE : consentDate(expiresRaw, i, 'expiresAt');
  if (withdrawn < granted) throw new ContextFault(`context.consents[${i}].withdrawnAt`, 'is before grantedAt');
  if (expires < granted) throw new ContextFault(`context.consents[${i}].expiresAt`, 'is before grantedAt');
  if (id !== undefined && typeof id !== 'string') throw new ContextFault(`context.consents[${i}].id`, `must be a string; got ${describeType(id)}`);
  store(sc, i, purpose, granted, withdrawn, expires, id);
}

/** Both readers end here: the facts of record `i`, written only once the whole record has been accepted. */
function store(sc: Scratch, i: number, purpose: CompiledPurpose, granted: number, withdrawn: number, expires: number, id: string | undefined): void {
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
