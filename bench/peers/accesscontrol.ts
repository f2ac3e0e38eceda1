import { AccessControl } from 'accesscontrol';
import { hasValidConsent } from './consent-window.js';
import type { EngineFactory } from './engine.js';
import { NOW, type Query } from './workload.js';

/** accesscontrol's default (ASCII) name charset. */
const NAME = /^[A-Za-z0-9_-]+$/;

/**
 * Purpose ids contain dots, which accesscontrol refuses in names; `__` never
 * occurs in a purpose id (segments are `[a-z0-9-]`), so this is one-to-one.
 */
const resourceOf = (purpose: string): string => purpose.replaceAll('.', '__');

/**
 * accesscontrol (3.x): roles are subject categories, resources are purposes,
 * and a permitted pair is a `readAny` grant, with unknown roles denying rather
 * than throwing (`policy.strict.roles: false`). Stretched in three places:
 * purpose ids are re-encoded (dots are not allowed in names); ids are screened
 * against accesscontrol's charset before the check because it *trims* names
 * (`'customer '` would be granted as `'customer'`) and throws on others; and the
 * consent window is checked by hand after the grant, since `.where()` cannot
 * quantify over an array of consents (a `defineCondition` function would
 * make every check async).
 *
 * @example
 * const engine = await accessControl(queries, policyFacts());
 */
export const accessControl: EngineFactory = (queries, facts) => {
  const ac = new AccessControl(undefined, { policy: { strict: { roles: false } } });
  for (const [s, purposes] of facts.grants) for (const p of purposes) ac.grant(s).readAny(resourceOf(p));
  ac.lock();
  const nowMs = NOW.getTime();
  const scopes = facts.consentScope;
  const resources = queries.map((q) => resourceOf(q.purpose));
  const decide = (q: Query, resource: string): boolean => {
    if (!NAME.test(q.subject) || !NAME.test(resource) || !ac.can(q.subject).readAny(resource).granted) return false;
    const scope = scopes.get(q.purpose);
    return scope === undefined || hasValidConsent(q.context?.consents, scope, nowMs);
  };
  return {
    name: 'accesscontrol can().readAny()',
    fidelity: 'stretched',
    mapping:
      'grant(subjectCategory).readAny(purpose with dots encoded); ids screened against its charset (it trims names); the consent window hand-written after the grant check. Returns a boolean.',
    verified: true,
    answers: async () => queries.map((q, i) => decide(q, resources[i] as string)),
    count: () => {
      let n = 0;
      for (let i = 0; i < queries.length; i++) if (decide(queries[i] as Query, resources[i] as string)) n++;
      return n;
    },
  };
};
