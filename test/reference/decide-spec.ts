/**
 * A deliberately naive reference of the decision rules (issue 3, "Rules, in
 * order; the first deny decides"). It transcribes each rule as written, reads
 * the catalogue as plain data on every call, and shares no code with `src/`
 * (types only). Speed does not matter here; being obviously right does.
 *
 * Where the issue leaves a choice open, this follows the implementation's
 * documented choice (src/guard/decide.ts, src/compile/compile.ts); each such
 * place is marked "CHOICE".
 */
import { tz } from '@date-fns/tz';
import { add, type Duration } from 'date-fns';
import type { CatalogueSpec, PurposeSpec, RetentionDuration } from '../../src/index.js';

/** What the reference decides; the differential test compares these fields. */
export interface SpecDecision {
  readonly allowed: boolean;
  readonly reason: string;
  /** The purpose whose grant permitted an allow (`permitted` only). */
  readonly grantedBy?: string | undefined;
  /** The consent cited by an allow, if one was relied on and has an id. */
  readonly consentId?: string | undefined;
}

const CONTEXT_FIELDS = ['now', 'consents', 'objections', 'dataCategories', 'collectedFor', 'relationshipEndedAt', 'exception', 'actor', 'subjectId'];
const CONSENT_FIELDS = ['purpose', 'grantedAt', 'withdrawnAt', 'expiresAt', 'id'];
const OBJECTION_FIELDS = ['purpose', 'at'];
const EXCEPTION_FIELDS = ['ground', 'reference', 'consentImpracticable'];

/** Ground -> needs `consentImpracticable: true` (APPI Art. 18(3)). */
const GROUNDS: Record<string, boolean> = {
  laws_and_regulations: false,
  protection_of_life_body_property: true,
  public_health_child_welfare: true,
  public_authority_cooperation: true,
  academic_research: false,
};

const own = (o: object, k: string | number): boolean => Object.hasOwn(o, k);

// ---------------------------------------------------------------- dates

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month1: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month1 - 1] as number;
}

function utcMs(y: number, m0: number, d: number, h: number, mi: number, s: number, ms: number): number {
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
  const date = new Date(0);
  date.setUTCFullYear(y, m0, d);
  date.setUTCHours(h, mi, s, ms);
  return date.getTime();
}

/**
 * Epoch ms of a context date: a real `Date` (by its internal slot), or an RFC 3339
 * date-time with `Z` or an offset, checked field by field. Digits below the
 * millisecond are dropped. `undefined` when it is not a date.
 */
export function specMs(value: unknown): number | undefined {
  if (typeof value === 'string') {
    const m = RFC3339.exec(value);
    if (m === null) return undefined;
    const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
    if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return undefined;
    const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0').slice(0, 3));
    let offset = 0;
    if (m[8] !== undefined) {
      const oh = Number(m[9]);
      const om = Number(m[10]);
      if (oh > 23 || om > 59) return undefined;
      offset = (m[8] === '+' ? 1 : -1) * (oh * 60 + om) * 60_000;
    }
    const t = utcMs(y, mo - 1, d, h, mi, s, ms) - offset;
    return Number.isNaN(t) ? undefined : t;
  }
  if (typeof value === 'object' && value !== null) {
    try {
      const t = Date.prototype.getTime.call(value);
      return Number.isNaN(t) ? undefined : t;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * `ended + duration`: years and months on the calendar (the day clamped to the
 * month's end), then days, then clock units. By hand in UTC; in the catalogue's
 * zone through `@date-fns/tz` (CHOICE: date-fns `add` semantics, as documented).
 */
export function retentionEndSpec(catalogue: CatalogueSpec, duration: RetentionDuration, endedMs: number): number {
  if (catalogue.timeZone !== undefined) return add(endedMs, duration as Duration, { in: tz(catalogue.timeZone) }).getTime();
  let t = endedMs;
  const months = (duration.years ?? 0) * 12 + (duration.months ?? 0);
  if (months !== 0) {
    const x = new Date(t);
    const total = x.getUTCMonth() + months;
    const y = x.getUTCFullYear() + Math.floor(total / 12);
    const m0 = total % 12;
    const d = Math.min(x.getUTCDate(), daysInMonth(y, m0 + 1));
    t = utcMs(y, m0, d, x.getUTCHours(), x.getUTCMinutes(), x.getUTCSeconds(), x.getUTCMilliseconds());
  }
  t += ((duration.days ?? 0) + 7 * (duration.weeks ?? 0)) * 86_400_000;
  t += (((duration.hours ?? 0) * 60 + (duration.minutes ?? 0)) * 60 + (duration.seconds ?? 0)) * 1000;
  return t;
}

// ---------------------------------------------------------------- context

interface Consent {
  purpose: string;
  granted: number;
  withdrawn: number | undefined;
  expires: number | undefined;
  id: string | undefined;
}

interface Ctx {
  now: number | undefined;
  consents: Consent[];
  objections: { purpose: string; at: number }[];
  dataCategories: string[];
  collectedFor: string[] | undefined;
  ended: number | undefined;
  exception: { ground: string; reference: string; impracticable: boolean } | undefined;
}

class Invalid extends Error {}

function fail(): never {
  throw new Invalid();
}

function plainRecord(v: unknown, fields: readonly string[], context = false): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail();
  let proto: unknown = Reflect.getPrototypeOf(v);
  if (context && proto !== null && Reflect.getPrototypeOf(proto as object) !== null) {
    // CHOICE: the context must be plain: a prototype that is an Object.prototype (any realm) or none, or else
    // made by Object and inheriting no enumerable field (a class instance, a Map, Object.create(defaults) are not).
    if ((v as { constructor?: unknown }).constructor !== Object) fail();
    for (const k in v) if (!own(v as Record<string, unknown>, k)) fail();
  }
  // CHOICE: no prototype below the root may hold one of the record's fields (a class getter would go unread).
  for (; proto !== null && Reflect.getPrototypeOf(proto as object) !== null; proto = Reflect.getPrototypeOf(proto as object)) {
    for (const f of fields) if (own(proto as Record<string, unknown>, f)) fail();
  }
  // CHOICE: every own enumerable key must be a known field, even when its value is undefined.
  for (const k of Object.keys(v)) if (!fields.includes(k)) fail();
  return v as Record<string, unknown>;
}

function field(r: Record<string, unknown>, k: string): unknown {
  return own(r, k) ? r[k] : undefined;
}

function date(v: unknown): number {
  const t = specMs(v);
  return t === undefined ? fail() : t;
}

function list(v: unknown): unknown[] {
  if (!Array.isArray(v)) fail();
  const out: unknown[] = [];
  for (let i = 0; i < v.length; i++) out.push(own(v, i) ? v[i] : fail());
  return out;
}

function purposeId(catalogue: CatalogueSpec, v: unknown): string {
  // CHOICE: a consent, objection or collectedFor naming an undeclared purpose is invalid_context.
  if (typeof v !== 'string' || !own(catalogue.purposes, v)) fail();
  return v;
}

function readCtx(catalogue: CatalogueSpec, context: unknown): Ctx {
  const ctx: Ctx = { now: undefined, consents: [], objections: [], dataCategories: [], collectedFor: undefined, ended: undefined, exception: undefined };
  if (context === undefined) return ctx;
  const r = plainRecord(context, CONTEXT_FIELDS, true);
  // CHOICE: the context's own enumerable fields, as `{ ...context }` copies them: one defined non-enumerable is not
  // read (records, below, are read by their own fields, enumerable or not).
  const v = (k: string): unknown => (Object.prototype.propertyIsEnumerable.call(r, k) ? r[k] : undefined);
  if (v('now') !== undefined) ctx.now = date(v('now'));
  if (v('consents') !== undefined) {
    for (const item of list(v('consents'))) {
      const c = plainRecord(item, CONSENT_FIELDS);
      const purpose = purposeId(catalogue, field(c, 'purpose'));
      const granted = date(field(c, 'grantedAt'));
      const withdrawn = field(c, 'withdrawnAt') === undefined ? undefined : date(field(c, 'withdrawnAt'));
      const expires = field(c, 'expiresAt') === undefined ? undefined : date(field(c, 'expiresAt'));
      if ((withdrawn !== undefined && withdrawn < granted) || (expires !== undefined && expires < granted)) fail();
      const id = field(c, 'id');
      if (id !== undefined && typeof id !== 'string') fail();
      ctx.consents.push({ purpose, granted, withdrawn, expires, id });
    }
  }
  if (v('objections') !== undefined) {
    for (const item of list(v('objections'))) {
      const o = plainRecord(item, OBJECTION_FIELDS);
      ctx.objections.push({ purpose: purposeId(catalogue, field(o, 'purpose')), at: date(field(o, 'at')) });
    }
  }
  if (v('dataCategories') !== undefined) {
    ctx.dataCategories = list(v('dataCategories')).map((x) => (typeof x === 'string' ? x : fail()));
  }
  if (v('collectedFor') !== undefined) ctx.collectedFor = list(v('collectedFor')).map((x) => purposeId(catalogue, x));
  if (v('relationshipEndedAt') !== undefined) ctx.ended = date(v('relationshipEndedAt'));
  if (v('exception') !== undefined) {
    const e = plainRecord(v('exception'), EXCEPTION_FIELDS);
    const ground = field(e, 'ground');
    const reference = field(e, 'reference');
    const impracticable = field(e, 'consentImpracticable');
    if (typeof ground !== 'string' || typeof reference !== 'string') fail();
    if (impracticable !== undefined && typeof impracticable !== 'boolean') fail();
    ctx.exception = { ground, reference, impracticable: impracticable === true };
  }
  for (const k of ['actor', 'subjectId']) if (v(k) !== undefined && typeof v(k) !== 'string') fail();
  return ctx;
}

// ---------------------------------------------------------------- hierarchy

/** `id` is `ancestor` or below it, by whole dot-separated segments. */
function covers(ancestor: string, id: string): boolean {
  const a = ancestor.split('.');
  const b = id.split('.');
  return a.length <= b.length && a.every((seg, i) => seg === b[i]);
}

/** The purpose and its declared ancestors, nearest first. */
function chainOf(catalogue: CatalogueSpec, purpose: string): string[] {
  return Object.keys(catalogue.purposes)
    .filter((q) => covers(q, purpose))
    .sort((x, y) => y.split('.').length - x.split('.').length);
}

function nearest<K extends keyof PurposeSpec>(catalogue: CatalogueSpec, chain: string[], key: K): PurposeSpec[K] | undefined {
  for (const q of chain) {
    const value = catalogue.purposes[q]?.[key];
    if (value !== undefined) return value;
  }
  return undefined;
}

// ---------------------------------------------------------------- consent

function validAt(c: Consent, now: number): boolean {
  return c.granted <= now && (c.expires === undefined || now < c.expires) && (c.withdrawn === undefined || now < c.withdrawn);
}

function byId(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? -1 : 1;
}

/** CHOICE: cite the most specific consent, then the latest granted, then the smallest id (no id last). */
function bestValid(consents: Consent[], chain: string[], now: number): Consent | undefined {
  return consents
    .filter((c) => chain.includes(c.purpose) && validAt(c, now))
    .sort((a, b) => b.purpose.split('.').length - a.purpose.split('.').length || b.granted - a.granted || byId(a.id, b.id))[0];
}

/**
 * CHOICE (which candidate explains a missing consent): the latest consent granted at
 * or before now (withdrawn wins a tie on grantedAt, then the smallest id); it is
 * withdrawn if its withdrawal is at or before now and not after its expiry, else
 * expired. With none granted yet, a future consent: not yet valid.
 */
function whyNoConsent(consents: Consent[], chain: string[], now: number): string {
  const mine = consents.filter((c) => chain.includes(c.purpose));
  const isWithdrawn = (c: Consent): boolean => c.withdrawn !== undefined && c.withdrawn <= now && !(c.expires !== undefined && c.expires < c.withdrawn);
  const given = mine
    .filter((c) => c.granted <= now)
    .sort((a, b) => b.granted - a.granted || Number(isWithdrawn(b)) - Number(isWithdrawn(a)) || byId(a.id, b.id))[0];
  if (given !== undefined) return isWithdrawn(given) ? 'consent_withdrawn' : 'consent_expired';
  if (mine.some((c) => c.granted > now)) return 'consent_not_yet_valid';
  return 'consent_required';
}

// ---------------------------------------------------------------- the rules

/**
 * Decides one use by the rules, in order; the first deny decides.
 *
 * @example
 * decideSpec(catalogue, 'customer', 'billing', { now: '2026-01-01T00:00:00Z' }, new Date()).reason; // 'permitted'
 */
export function decideSpec(catalogue: CatalogueSpec, subject: unknown, purpose: unknown, context: unknown, clockNow: Date): SpecDecision {
  const deny = (reason: string): SpecDecision => ({ allowed: false, reason });

  // Rule 1: bad input or context.
  if (typeof subject !== 'string' || typeof purpose !== 'string') return deny('invalid_input');
  let ctx: Ctx;
  try {
    ctx = readCtx(catalogue, context);
  } catch {
    return deny('invalid_context');
  }
  const now = ctx.now ?? clockNow.getTime();

  // Rule 2: unknown ids; an exception never rescues them.
  if (!own(catalogue.subjects, subject)) return deny('unknown_subject');
  if (!own(catalogue.purposes, purpose)) return deny('unknown_purpose');
  const s = catalogue.subjects[subject]!;
  const chain = chainOf(catalogue, purpose);

  // Rule 3: a legal exception, if present, must be valid; then it allows.
  if (ctx.exception !== undefined) {
    const e = ctx.exception;
    if (!own(GROUNDS, e.ground)) return deny('exception_invalid');
    // CHOICE: a reference of only white space is as good as empty.
    if (!/\S/.test(e.reference)) return deny('exception_invalid');
    if (GROUNDS[e.ground] === true && !e.impracticable) return deny('exception_invalid');
    if (e.ground === 'academic_research' && catalogue.controller.academicResearchInstitution !== true) return deny('exception_invalid');
    return { allowed: true, reason: 'permitted_by_exception' };
  }

  // Rule 4: prohibition (itself, ancestors, descendants) wins over permission.
  if ((s.prohibited ?? []).some((x) => covers(x, purpose) || covers(purpose, x))) return deny('purpose_prohibited');
  const grantedBy = chain.find((q) => own(s.purposes, q));
  if (grantedBy === undefined) return deny('purpose_not_permitted');

  // Rule 5: retention, counted from relationshipEndedAt.
  if (s.retention !== undefined && ctx.ended !== undefined && retentionEndSpec(catalogue, s.retention.duration, ctx.ended) <= now) {
    return deny('retention_expired');
  }

  // Rule 6: data categories. CHOICE: a purpose without its own list uses its nearest ancestor's; none means none.
  const allowedCategories = nearest(catalogue, chain, 'dataCategories') ?? [];
  for (const cat of ctx.dataCategories) {
    if (!own(catalogue.dataCategories, cat) || !allowedCategories.includes(cat)) return deny('data_category_not_permitted');
  }
  const valid = bestValid(ctx.consents, chain, now);
  let consulted = false;
  if (ctx.dataCategories.some((cat) => catalogue.dataCategories[cat]?.specialCare === true)) {
    consulted = true;
    // CHOICE: special-care data without a valid consent is consent_required, whatever the candidates.
    if (valid === undefined) return deny('consent_required');
  }

  // Rule 7: consent. CHOICE: basis 'consent' (inherited from the nearest ancestor, and the default) implies it.
  const requires = chain.some((q) => catalogue.purposes[q]?.requiresConsent === true) || (nearest(catalogue, chain, 'basis') ?? 'consent') === 'consent';
  if (requires) {
    consulted = true;
    if (valid === undefined) return deny(whyNoConsent(ctx.consents, chain, now));
  }

  // Rule 8: objection. CHOICE: objectable if the purpose or any ancestor is.
  if (chain.some((q) => catalogue.purposes[q]?.objectable === true)) {
    if (ctx.objections.some((o) => o.at <= now && chain.includes(o.purpose))) return deny('objected');
  }

  // Rule 9: further use. CHOICE: compatible if the purpose is, or is below, a purpose
  // the data was collected for, or below one of those purposes' compatibleWith targets
  // (a purpose's compatibleWith is its own, not its descendants'); `collectedFor: []` is a further use.
  if (ctx.collectedFor !== undefined) {
    const compatible = ctx.collectedFor.some((c) => covers(c, purpose) || (catalogue.purposes[c]?.compatibleWith ?? []).some((t) => covers(t, purpose)));
    if (!compatible) {
      consulted = true;
      if (valid === undefined) return deny('incompatible_purpose');
    }
  }

  // Rule 10: permitted. CHOICE: the consent is cited only when a rule relied on it.
  return { allowed: true, reason: 'permitted', grantedBy, consentId: consulted ? valid?.id : undefined };
}
