import { hasValidConsent } from './consent-window.js';
import type { EngineFactory } from './engine.js';
import { NOW, type PolicyFacts, type Query } from './workload.js';

/**
 * The permitted pairs as `Map<subject, Set<purpose>>`: what the hand-written references look up.
 *
 * @example
 * permittedPairs(policyFacts()).get('customer')?.has('billing'); // true
 */
export function permittedPairs(facts: PolicyFacts): Map<string, Set<string>> {
  return new Map([...facts.grants].map(([s, ps]) => [s, new Set(ps)]));
}

/**
 * The baseline: what a team would hand-write without any library. A
 * `Map<subject, Set<purpose>>` of the permitted pairs plus the consent loop for
 * the purposes that need consent, so it gives the same answers as every engine.
 *
 * @example
 * const engine = await plainLookup(queries, policyFacts());
 */
export const plainLookup: EngineFactory = (queries, facts) => {
  const permitted = permittedPairs(facts);
  const scopes = facts.consentScope;
  const nowMs = NOW.getTime();
  const decide = (q: Query): boolean => {
    const set = permitted.get(q.subject);
    if (set === undefined || !set.has(q.purpose)) return false;
    const scope = scopes.get(q.purpose);
    return scope === undefined || hasValidConsent(q.context?.consents, scope, nowMs);
  };
  return {
    name: 'Map/Set lookup + consent loop',
    fidelity: 'reference',
    mapping: 'Hand-written: Map<subject, Set<purpose>> and a loop over the consents for the two consent purposes. Returns a boolean.',
    verified: true,
    answers: async () => queries.map(decide),
    count: () => {
      let n = 0;
      for (let i = 0; i < queries.length; i++) if (decide(queries[i] as Query)) n++;
      return n;
    },
  };
};

/**
 * The floor: the pair lookup alone, which ignores consent and so is wrong on
 * consent queries. Timed for reference, never verified.
 *
 * @example
 * const engine = await pairLookupOnly(queries, policyFacts());
 */
export const pairLookupOnly: EngineFactory = (queries, facts) => {
  const permitted = permittedPairs(facts);
  const decide = (q: Query): boolean => permitted.get(q.subject)?.has(q.purpose) === true;
  return {
    name: 'Map/Set pair lookup only',
    fidelity: 'reference',
    mapping: 'Map<subject, Set<purpose>> alone: ignores consent, so it is wrong on consent queries. A floor, not a competitor.',
    verified: false,
    answers: async () => queries.map(decide),
    count: () => {
      let n = 0;
      for (let i = 0; i < queries.length; i++) if (decide(queries[i] as Query)) n++;
      return n;
    },
  };
};
