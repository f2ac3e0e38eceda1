import type { EngineFactory } from './engine.js';
import { permittedPairs } from './plain.js';
import { isRecord, timeOf } from './plain-strict.js';
import { NOW, type Query } from './workload.js';

/**
 * The engine's name in reports.
 *
 * @example
 * results.find((r) => r.name === VALIDATING_OWN);
 */
export const VALIDATING_OWN = 'Map/Set lookup + validation, own fields only';

/**
 * The validating baseline (`plain-strict.ts`) with the defences against a
 * polluted prototype that `checkUse` has (principle 1: no inherited
 * properties), written the plain way a careful team would: a field counts only
 * if it is the object's own (`Object.hasOwn`), a record's fields are its own
 * enumerable keys (`Object.keys`), and a list element only if the list has it
 * (a hole a polluted `Array.prototype` fills is refused). One pass validates
 * the context and finds a valid consent. It returns a boolean and explains
 * nothing: the distance from it to `checkUse` is the cost of the rules and of
 * the explaining decision, with the input checked alike.
 *
 * @example
 * const engine = await ownFieldsLookup(queries, policyFacts());
 */
export const ownFieldsLookup: EngineFactory = (queries, facts) => {
  const permitted = permittedPairs(facts);
  const declared = new Set(facts.purposes);
  const scopes = facts.consentScope;
  const nowMs = NOW.getTime();
  const decide = (q: Query): boolean => {
    const scope = scopes.get(q.purpose);
    // The whole context is validated whatever the pair, as checkUse does.
    const verdict = q.context === undefined ? NO_CONSENT : scan(q.context, declared, scope, nowMs);
    if (verdict === INVALID) return false;
    const set = permitted.get(q.subject);
    if (set === undefined || !set.has(q.purpose)) return false;
    return scope === undefined || verdict === CONSENT;
  };
  return {
    name: VALIDATING_OWN,
    fidelity: 'reference',
    mapping: 'The validating lookup with checkUse’s defences against prototype pollution, hand-written: own fields only (Object.hasOwn, Object.keys), no holes. One pass validates and finds the consent. Returns a boolean.',
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

const INVALID = -1;
const NO_CONSENT = 0;
const CONSENT = 1;

const hasOwn = Object.hasOwn;

/**
 * Whether a context passes the checks `checkUse` makes before deciding (the
 * subset of fields the workload uses: a context with any other field is
 * refused), reading own fields and elements only.
 *
 * @example
 * validOwnContext({ consents: [] }, new Set(['billing'])); // true
 */
export function validOwnContext(context: unknown, declared: ReadonlySet<string>): boolean {
  return scan(context, declared, undefined, 0) !== INVALID;
}

/** One pass over a context: INVALID if `checkUse` refuses it, else CONSENT if it holds a consent in `scope` valid at `nowMs`. */
function scan(context: unknown, declared: ReadonlySet<string>, scope: readonly string[] | undefined, nowMs: number): number {
  if (!isRecord(context)) return INVALID;
  const fields = Object.keys(context);
  for (let k = 0; k < fields.length; k++) if (fields[k] !== 'consents') return INVALID;
  const consents = own(context, 'consents');
  if (consents === undefined) return NO_CONSENT;
  if (!Array.isArray(consents)) return INVALID;
  let verdict = NO_CONSENT;
  for (let i = 0; i < consents.length; i++) {
    // Not `i in consents`: that is true for a hole a polluted Array.prototype fills.
    if (!hasOwn(consents, i)) return INVALID;
    const c: unknown = consents[i];
    if (!isRecord(c)) return INVALID;
    const keys = Object.keys(c);
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k];
      if (key !== 'purpose' && key !== 'grantedAt' && key !== 'withdrawnAt' && key !== 'expiresAt' && key !== 'id') return INVALID;
    }
    const purpose = own(c, 'purpose');
    if (typeof purpose !== 'string' || !declared.has(purpose)) return INVALID;
    const id = own(c, 'id');
    if (id !== undefined && typeof id !== 'string') return INVALID;
    const granted = timeOf(own(c, 'grantedAt'));
    if (Number.isNaN(granted)) return INVALID;
    const withdrawnAt = own(c, 'withdrawnAt');
    const withdrawn = withdrawnAt === undefined ? Number.POSITIVE_INFINITY : timeOf(withdrawnAt);
    const expiresAt = own(c, 'expiresAt');
    const expires = expiresAt === undefined ? Number.POSITIVE_INFINITY : timeOf(expiresAt);
    // NaN fails both comparisons: an invalid end date is refused like one before grantedAt.
    if (!(withdrawn >= granted && expires >= granted)) return INVALID;
    // Half-open window [grantedAt, min(withdrawnAt, expiresAt)), for a consent to the purpose or an ancestor.
    if (scope?.includes(purpose) && granted <= nowMs && nowMs < withdrawn && nowMs < expires) verdict = CONSENT;
  }
  return verdict;
}

/** A field's value if the object has it as its own, else `undefined`: an inherited (polluted) value never counts. */
function own(record: object, key: string): unknown {
  return hasOwn(record, key) ? (record as Record<string, unknown>)[key] : undefined;
}
