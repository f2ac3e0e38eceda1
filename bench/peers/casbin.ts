import { newEnforcer, newModelFromString, StringAdapter } from 'casbin';
import { hasValidConsent } from './consent-window.js';
import type { EngineFactory, PeerEngine } from './engine.js';
import { NOW, type Query } from './workload.js';

/** ACL with one ABAC escape hatch: the consent window is a custom matcher function. */
const MODEL = `
[request_definition]
r = sub, act, ctx

[policy_definition]
p = sub, act, consent

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = r.sub == p.sub && r.act == p.act && (p.consent == "none" || validConsent(r.ctx, r.act))
`;

const NO_CONTEXT = Object.freeze({ consents: Object.freeze([]) });

async function build(queries: readonly Query[], facts: Parameters<typeof casbinAsync>[1]) {
  const lines: string[] = [];
  for (const [s, purposes] of facts.grants) for (const p of purposes) lines.push(`p, ${s}, ${p}, ${facts.consentScope.has(p) ? 'consent' : 'none'}`);
  const enforcer = await newEnforcer(newModelFromString(MODEL), new StringAdapter(lines.join('\n')));
  const nowMs = NOW.getTime();
  await enforcer.addFunction('validConsent', (ctx: Query['context'] & object, purpose: string) =>
    hasValidConsent(ctx.consents, facts.consentScope.get(purpose) ?? [], nowMs));
  const requests = queries.map((q) => [q.subject, q.purpose, q.context ?? NO_CONTEXT] as const);
  return { enforcer, requests };
}

const MAPPING =
  'Policy lines "p, subject, purpose, none|consent" from a string (StringAdapter) and an ACL model; the consent window is a custom JS function (addFunction) the matcher calls: Casbin has no notion of time windows or purpose hierarchy. Returns a boolean.';

/**
 * Casbin with its idiomatic, asynchronous `enforce` (every check awaited).
 *
 * @example
 * const engine = await casbinAsync(queries, policyFacts());
 */
export const casbinAsync: EngineFactory = async (queries, facts): Promise<PeerEngine> => {
  const { enforcer, requests } = await build(queries, facts);
  return {
    name: 'Casbin enforce (awaited)',
    fidelity: 'stretched',
    mapping: MAPPING,
    verified: true,
    answers: () => Promise.all(requests.map((r) => enforcer.enforce(...r))),
    count: async () => {
      let n = 0;
      for (let i = 0; i < requests.length; i++) if (await enforcer.enforce(...(requests[i] as (typeof requests)[number]))) n++;
      return n;
    },
  };
};

/**
 * Casbin's synchronous `enforceSync`: the same model and policy, without the
 * promise per check (the fairer comparison with a synchronous checkUse).
 *
 * @example
 * const engine = await casbinSync(queries, policyFacts());
 */
export const casbinSync: EngineFactory = async (queries, facts): Promise<PeerEngine> => {
  const { enforcer, requests } = await build(queries, facts);
  return {
    name: 'Casbin enforceSync',
    fidelity: 'stretched',
    mapping: MAPPING,
    verified: true,
    answers: async () => requests.map((r) => enforcer.enforceSync(...r)),
    count: () => {
      let n = 0;
      for (let i = 0; i < requests.length; i++) if (enforcer.enforceSync(...(requests[i] as (typeof requests)[number]))) n++;
      return n;
    },
  };
};
