import { hasValidConsent } from './consent-window.js';
import type { EngineFactory } from './engine.js';
import { permittedPairs } from './plain.js';
import { type BenchConsent, NOW, type Query } from './workload.js';

/**
 * The engine's name in reports.
 *
 * @example
 * results.find((r) => r.name === VALIDATING_TRUSTING);
 */
export const VALIDATING_TRUSTING = 'Map/Set lookup + validation, trusting prototypes';

/**
 * The baseline with the input checks `checkUse` makes (principle 1, fail
 * closed), written by hand as a careful team would: the context must be a
 * plain object with known fields only, and every consent record, whatever the
 * purpose asked about, a plain (or null-prototype) object with known fields only, a declared
 * purpose, a valid `grantedAt`, optional ends that are valid and not before it,
 * and a string id. Any malformed record denies. It returns a boolean and
 * explains nothing. It trusts the prototypes: it reads fields and elements
 * the plain way, so an enumerable field on a polluted `Object.prototype`, or a
 * hole a polluted `Array.prototype` fills, reads as the caller's. The distance
 * from the plain baseline to it is the least validating the input can cost;
 * `plain-own.ts` adds the defences against pollution `checkUse` has.
 *
 * @example
 * const engine = await validatingLookup(queries, policyFacts());
 */
export const validatingLookup: EngineFactory = (queries, facts) => {
  const permitted = permittedPairs(facts);
  const declared = new Set(facts.purposes);
  const scopes = facts.consentScope;
  const nowMs = NOW.getTime();
  const decide = (q: Query): boolean => {
    if (q.context !== undefined && !validContext(q.context, declared)) return false;
    const set = permitted.get(q.subject);
    if (set === undefined || !set.has(q.purpose)) return false;
    const scope = scopes.get(q.purpose);
    return scope === undefined || hasValidConsent(q.context?.consents, scope, nowMs);
  };
  return {
    name: VALIDATING_TRUSTING,
    fidelity: 'reference',
    mapping: 'The baseline plus checkUse’s input checks, hand-written: known context fields only; every consent record a plain object with known fields, a declared purpose, valid dates in order, a string id. Trusts the prototypes (reads inherited fields). Returns a boolean.',
    verified: true,
    answers: async () => queries.map(decide),
    // Each engine has its own loop, as in plain.ts: one loop shared by several engines would call their
    // `decide`s through one polymorphic call site, and the timing would measure that instead.
    count: () => {
      let n = 0;
      for (let i = 0; i < queries.length; i++) if (decide(queries[i] as Query)) n++;
      return n;
    },
  };
};

/**
 * Whether a context passes the checks `checkUse` makes before deciding (the
 * subset of fields the workload uses: a context with any other field is refused).
 *
 * @example
 * validContext({ consents: [] }, new Set(['billing'])); // true
 */
export function validContext(context: unknown, declared: ReadonlySet<string>): boolean {
  if (!isRecord(context)) return false;
  for (const key in context) {
    if (key !== 'consents') return false;
  }
  const consents = (context as { consents?: unknown }).consents;
  if (consents === undefined) return true;
  if (!Array.isArray(consents)) return false;
  for (let i = 0; i < consents.length; i++) {
    if (!(i in consents) || !validConsent(consents[i], declared)) return false;
  }
  return true;
}

function validConsent(c: unknown, declared: ReadonlySet<string>): boolean {
  if (!isRecord(c)) return false;
  for (const key in c) {
    if (key !== 'purpose' && key !== 'grantedAt' && key !== 'withdrawnAt' && key !== 'expiresAt' && key !== 'id') return false;
  }
  const r = c as Partial<Record<keyof BenchConsent, unknown>>;
  if (typeof r.purpose !== 'string' || !declared.has(r.purpose)) return false;
  if (r.id !== undefined && typeof r.id !== 'string') return false;
  const granted = timeOf(r.grantedAt);
  if (Number.isNaN(granted)) return false;
  if (r.withdrawnAt !== undefined && !(timeOf(r.withdrawnAt) >= granted)) return false;
  return r.expiresAt === undefined || timeOf(r.expiresAt) >= granted;
}

/**
 * A plain or null-prototype object: `for...in` then lists its own fields (if Object.prototype is unpolluted).
 *
 * @example
 * isRecord(Object.create(null)); // true
 */
export function isRecord(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A `Date`'s time, or NaN for anything else.
 *
 * @example
 * timeOf('2026-01-01'); // NaN
 */
export function timeOf(value: unknown): number {
  return value instanceof Date ? value.getTime() : Number.NaN;
}
