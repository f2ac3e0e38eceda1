/**
 * The peer benchmark's workload: 10,000 deterministic queries against the
 * default catalogue, about 60% allowed and 40% denied for every kind of reason
 * a purpose check meets (unlisted pairs, unknown subjects and purposes, missing,
 * withdrawn, expired, future and other-purpose consents).
 */
import { defaultCatalogue } from '../../src/index.js';
import { seededRandom } from '../harness.js';

/**
 * The decision time of every query; every engine is given the same instant.
 *
 * @example
 * createGuard(defaultCatalogue, { clock: () => NOW });
 */
export const NOW: Date = new Date('2026-11-25T09:00:00.000Z');
const DAY = 86_400_000;

/** A consent record as an application would load it from its database (dates as `Date`). */
export interface BenchConsent {
  readonly purpose: string;
  readonly grantedAt: Date;
  readonly withdrawnAt?: Date;
  readonly expiresAt?: Date;
  readonly id: string;
}

/** One question: may data on this subject category be used for this purpose, given these consents? */
export interface Query {
  readonly subject: string;
  readonly purpose: string;
  /** The person's consents, when the caller has them at hand; `undefined` for a bare check. */
  readonly context: { readonly consents: readonly BenchConsent[] } | undefined;
  /** What the generator meant this query to exercise (for the mix table; engines never see it). */
  readonly kind: QueryKind;
}

/** The kinds of query in the mix. */
export type QueryKind =
  | 'allowed'
  | 'allowed-with-consent'
  | 'unlisted-pair'
  | 'unknown-subject'
  | 'unknown-purpose'
  | 'consent-missing'
  | 'consent-withdrawn'
  | 'consent-expired'
  | 'consent-future'
  | 'consent-other-purpose';

/**
 * Share of each kind, in percent (sums to 100).
 *
 * @example
 * MIX['consent-withdrawn']; // 5
 */
export const MIX: Readonly<Record<QueryKind, number>> = {
  allowed: 45,
  'allowed-with-consent': 15,
  'unlisted-pair': 14,
  'unknown-subject': 4,
  'unknown-purpose': 4,
  'consent-missing': 6,
  'consent-withdrawn': 5,
  'consent-expired': 4,
  'consent-future': 1,
  'consent-other-purpose': 2,
};

const UNKNOWN_SUBJECTS = ['Customer', 'customers', 'customer ', 'vendor', 'guest', 'supplier', 'employee.admin'];
const UNKNOWN_PURPOSES = ['Billing', 'billing-export', 'billing.export', 'marketing.email', 'ads', 'Marketing.analytics', 'profiling', ' billing'];

/** What the workload generator and the peer mappings need to know about the catalogue, derived from it. */
export interface PolicyFacts {
  readonly subjects: readonly string[];
  readonly purposes: readonly string[];
  /** subject -> purposes granted to it (the seed grants leaves only, so no hierarchy expansion is needed). */
  readonly grants: ReadonlyMap<string, readonly string[]>;
  /** Purposes that require consent -> the purposes whose consent counts for them (itself and its ancestors). */
  readonly consentScope: ReadonlyMap<string, readonly string[]>;
}

/**
 * Reads the facts the peer mappings are written from out of `defaultCatalogue`.
 *
 * @example
 * policyFacts().consentScope.get('marketing.notifications'); // ['marketing.notifications', 'marketing']
 */
export function policyFacts(): PolicyFacts {
  const purposes = Object.keys(defaultCatalogue.purposes);
  const grants = new Map<string, string[]>();
  for (const [s, spec] of Object.entries(defaultCatalogue.subjects)) {
    const granted = Object.keys(spec.purposes);
    for (const g of granted) {
      if (purposes.some((p) => p.startsWith(`${g}.`))) throw new Error(`the peer mappings assume leaf grants; ${s} is granted the parent ${g}`);
      if ((spec.prohibited ?? []).length > 0) throw new Error('the peer mappings assume no prohibitions');
    }
    grants.set(s, granted);
  }
  const consentScope = new Map<string, string[]>();
  for (const p of purposes) {
    const chain = [p];
    for (let i = p.lastIndexOf('.'); i > 0; i = p.lastIndexOf('.', i - 1)) chain.push(p.slice(0, i));
    const spec = (id: string) => defaultCatalogue.purposes[id as keyof typeof defaultCatalogue.purposes] as { requiresConsent?: boolean; basis?: string };
    const needs = chain.some((q) => spec(q).requiresConsent === true) || spec(p).basis === 'consent';
    if (needs) consentScope.set(p, chain);
  }
  return { subjects: Object.keys(defaultCatalogue.subjects), purposes, grants, consentScope };
}

/**
 * Generates the workload. The same seed always gives the same queries.
 *
 * @example
 * const queries = generateWorkload(10_000, 20261125);
 */
export function generateWorkload(count: number, seed: number, facts: PolicyFacts = policyFacts()): Query[] {
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const days = (lo: number, hi: number): number => (lo + Math.floor(random() * (hi - lo + 1))) * DAY;
  const at = (offsetMs: number): Date => new Date(NOW.getTime() + offsetMs);
  let nextId = 1;
  /** Granted 1 to 900 days before the earliest of NOW and its own end, so every record is well-formed. */
  const consent = (purpose: string, fields: Partial<Pick<BenchConsent, 'grantedAt' | 'withdrawnAt' | 'expiresAt'>> = {}): BenchConsent => {
    const earliest = Math.min(NOW.getTime(), fields.withdrawnAt?.getTime() ?? Infinity, fields.expiresAt?.getTime() ?? Infinity);
    return { purpose, grantedAt: new Date(earliest - days(1, 900)), ...fields, id: `c-${nextId++}` };
  };

  const consentPurposes = [...facts.consentScope.keys()];
  const consentPairs: [string, string][] = [];
  const plainPairs: [string, string][] = [];
  const unlistedPairs: [string, string][] = [];
  for (const s of facts.subjects) {
    const granted = new Set(facts.grants.get(s));
    for (const p of facts.purposes) {
      if (!granted.has(p)) unlistedPairs.push([s, p]);
      else if (facts.consentScope.has(p)) consentPairs.push([s, p]);
      else plainPairs.push([s, p]);
    }
  }
  /** Records that do not decide this purpose: consents to purposes outside its scope, valid or not. */
  const unrelated = (purpose: string, n: number): BenchConsent[] => {
    const scope = facts.consentScope.get(purpose) ?? [purpose];
    const others = facts.purposes.filter((p) => !scope.includes(p) && !scope.some((q) => p.startsWith(`${q}.`)));
    return Array.from({ length: n }, () => (random() < 0.3 ? consent(pick(others), { withdrawnAt: at(-days(0, 30) - 1) }) : consent(pick(others))));
  };
  const shuffle = <T>(xs: T[]): T[] => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [xs[i], xs[j]] = [xs[j] as T, xs[i] as T];
    }
    return xs;
  };
  const withConsents = (list: BenchConsent[]) => ({ consents: shuffle(list) });
  /** A consent for `purpose` or, half the time, for an ancestor that covers it. */
  const inScope = (purpose: string): string => pick(facts.consentScope.get(purpose) ?? [purpose]);
  /** Boundaries are included: a window that ends exactly at NOW no longer counts. */
  const endBefore = (): Date => (random() < 0.1 ? at(0) : at(-days(0, 60) - 1));

  const kinds = Object.entries(MIX) as [QueryKind, number][];
  const queries: Query[] = [];
  for (let i = 0; i < count; i++) {
    let r = random() * 100;
    let kind: QueryKind = 'allowed';
    for (const [k, share] of kinds) {
      if (r < share) {
        kind = k;
        break;
      }
      r -= share;
    }
    const [cs, cp] = pick(consentPairs);
    switch (kind) {
      case 'allowed': {
        const [s, p] = pick(plainPairs);
        // A third of callers pass the person's consents even when the purpose does not need them.
        queries.push({ subject: s, purpose: p, context: random() < 1 / 3 ? withConsents(unrelated(p, Math.floor(random() * 3))) : undefined, kind });
        break;
      }
      case 'allowed-with-consent': {
        const valid = random() < 0.5 ? consent(inScope(cp)) : consent(inScope(cp), { expiresAt: random() < 0.1 ? at(1) : at(days(1, 365)) });
        queries.push({ subject: cs, purpose: cp, context: withConsents([valid, ...unrelated(cp, Math.floor(random() * 3))]), kind });
        break;
      }
      case 'unlisted-pair': {
        const [s, p] = pick(unlistedPairs);
        queries.push({ subject: s, purpose: p, context: random() < 0.5 ? withConsents([consent(p)]) : undefined, kind });
        break;
      }
      case 'unknown-subject':
        queries.push({ subject: pick(UNKNOWN_SUBJECTS), purpose: pick(facts.purposes), context: undefined, kind });
        break;
      case 'unknown-purpose':
        queries.push({ subject: pick(facts.subjects), purpose: pick(UNKNOWN_PURPOSES), context: undefined, kind });
        break;
      case 'consent-missing':
        queries.push({ subject: cs, purpose: cp, context: random() < 0.5 ? undefined : withConsents([]), kind });
        break;
      case 'consent-withdrawn':
        queries.push({ subject: cs, purpose: cp, context: withConsents([consent(inScope(cp), { withdrawnAt: endBefore() }), ...unrelated(cp, 1)]), kind });
        break;
      case 'consent-expired':
        queries.push({ subject: cs, purpose: cp, context: withConsents([consent(inScope(cp), { expiresAt: endBefore() })]), kind });
        break;
      case 'consent-future':
        queries.push({ subject: cs, purpose: cp, context: withConsents([consent(inScope(cp), { grantedAt: at(days(0, 10) + 1) })]), kind });
        break;
      case 'consent-other-purpose':
        queries.push({ subject: cs, purpose: cp, context: withConsents(unrelated(cp, 1 + Math.floor(random() * 2)).concat(consent(pick(consentPurposes.filter((q) => q !== cp))))), kind });
        break;
    }
  }
  return queries;
}
