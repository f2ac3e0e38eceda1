import { AbilityBuilder, createMongoAbility, type MongoAbility, type MongoQuery, subject as asSubject } from '@casl/ability';
import type { EngineFactory } from './engine.js';
import { NOW, type Query } from './workload.js';

/**
 * CASL (@casl/ability), the idiomatic way: one rule per permitted (purpose,
 * subject category), the purpose as the action and the subject category as the
 * subject type; for a purpose that needs consent, MongoDB-style conditions
 * over the subject's `consents` with `$elemMatch` (purpose in scope, granted at
 * or before now, not expired, not withdrawn). CASL's matcher has no `$or`, so
 * "absent or in the future" for the two end dates becomes four rules, which is
 * how CASL expresses alternatives. As is usual with CASL the ability
 * is built for one moment (`now` is baked into the conditions); building it is
 * not timed. Each query's subject is a pre-built object tagged with `subject()`.
 *
 * @example
 * const engine = await casl(queries, policyFacts());
 */
export const casl: EngineFactory = (queries, facts) => {
  const { can, build } = new AbilityBuilder<MongoAbility>(createMongoAbility);
  // CASL's Mongo matcher has no $or: alternatives are separate rules (any matching rule allows).
  const ends: MongoQuery[] = [{ $exists: false }, { $gt: NOW }];
  for (const [s, purposes] of facts.grants) {
    for (const p of purposes) {
      const scope = facts.consentScope.get(p);
      if (scope === undefined) {
        can(p, s);
        continue;
      }
      for (const expiresAt of ends) {
        for (const withdrawnAt of ends) {
          can(p, s, { consents: { $elemMatch: { purpose: { $in: [...scope] }, grantedAt: { $lte: NOW }, expiresAt, withdrawnAt } } });
        }
      }
    }
  }
  const ability = build();
  const subjects = queries.map((q) => asSubject(q.subject, { consents: q.context?.consents ?? [] }));
  return {
    name: 'CASL ability.can',
    fidelity: 'idiomatic',
    mapping: 'can(purpose, subjectCategory[, { consents: { $elemMatch: window } }]) (4 rules per consent purpose: CASL has no $or); the consent window is a real CASL condition. Returns a boolean.',
    verified: true,
    answers: async () => queries.map((q, i) => ability.can(q.purpose, subjects[i] as object)),
    count: () => {
      let n = 0;
      for (let i = 0; i < queries.length; i++) if (ability.can((queries[i] as Query).purpose, subjects[i] as object)) n++;
      return n;
    },
  };
};
