/**
 * The context rules' own work, each beside the decision it explains: which data
 * category or objection decides, and the deny that says so. Kept apart from
 * `decideWithFacts`, which then holds only the order of the rules: one screen
 * to read, and less than half the bytecode it had (measured a little faster).
 */
import { type CompiledCatalogue, type CompiledPurpose, type CompiledSubject, denyOf, inScope, type Outcome, recordDeny } from '../compile/compile.js';
import { echo } from '../decision/messages.js';
import type { AllowDecision, Decision, DenyDecision } from '../decision/types.js';
import { iso } from '../rules/iso.js';
import { consentDeny } from './consent.js';
import type { Scratch } from './facts.js';

/**
 * Rule 6 when the categories are not one mask within the outcome's: the
 * category that denies (the least, so the answer does not depend on the
 * order given), or whether any of them is special-care data.
 */
export function checkCategories(cc: CompiledCatalogue, o: Outcome, sc: Scratch): string | boolean {
  let worst: string | undefined;
  let specialCare = false;
  for (let i = 0; i < sc.dN; i++) {
    const cat = sc.dCat[i] as string;
    const bit = cc.categoryBits.get(cat);
    // undefined: undeclared, or not among this purpose's categories. Bits cover the first 30 declared categories; the map, the rest.
    const special = bit === undefined ? o.purpose.categories.get(cat) : (o.categoryMask & bit) === 0 ? undefined : (o.specialCareMask & bit) !== 0;
    if (special === undefined) {
      if (worst === undefined || cat < worst) worst = cat;
    } else if (special) specialCare = true;
  }
  return worst ?? specialCare;
}

export function categoryDeny(cc: CompiledCatalogue, s: CompiledSubject, p: CompiledPurpose, category: string): DenyDecision {
  const declared = cc.dataCategories.has(category);
  return denyOf(s, p, 'data_category_not_permitted', 'data_categories', declared ? p.categoriesRule : 'dataCategories',
    declared
      ? `"${p.title}" (${p.id}) may not touch the data category "${category}": it is not in ${p.categoriesRule}. Leave that data out of this use.`
      : `The data category ${echo(category)} is not declared in the catalogue, so no purpose may touch it.`);
}

export function retentionDeny(s: CompiledSubject, p: CompiledPurpose): DenyDecision {
  const retention = s.retention as NonNullable<CompiledSubject['retention']>;
  return denyOf(s, p, 'retention_expired', 'retention', retention.rule,
    `The retention period for data on ${s.title} (${retention.text} after the relationship ended) has passed: delete or anonymise the data instead of using it.`);
}

export function specialCareDeny(sc: Scratch, s: CompiledSubject, p: CompiledPurpose): DenyDecision {
  return consentDeny(sc, s, p, 'consent_required', p.categoriesRule,
    `Data on ${s.title} includes special-care data (APPI Art. 20(2), GDPR Art. 9), which may be used for "${p.title}" only with the person's consent; none is valid now.`);
}

/** Rule 8: the deny for the earliest objection in force that covers the purpose, if any. */
export function objectionDeny(sc: Scratch, s: CompiledSubject, p: CompiledPurpose, now: number): DenyDecision | undefined {
  let hit = -1;
  for (let i = 0; i < sc.oN; i++) {
    const at = sc.oAt[i] as number;
    const q = sc.oPurpose[i] as CompiledPurpose;
    if (at <= now && inScope(p, q)) {
      if (hit < 0 || at < (sc.oAt[hit] as number) || (at === sc.oAt[hit] && q.id < (sc.oPurpose[hit] as CompiledPurpose).id)) hit = i;
    }
  }
  if (hit < 0) return undefined;
  const objected = (sc.oPurpose[hit] as CompiledPurpose).id;
  return recordDeny(s, p, 'objected', 'objection', 'context.objections',
    `The person objected to "${objected}", which covers "${p.title}" (${p.id}); stop this use for them (${p.objectableRule}).`,
    { kind: 'objection', purpose: objected, at: iso(sc.oAt[hit] as number) });
}

/** Rule 9: whether the purpose is one the data was collected for, or declared compatible with one of them. */
export function compatibleSource(sc: Scratch, p: CompiledPurpose): boolean {
  for (let i = 0; i < sc.fN; i++) if (p.furtherSources.has(sc.fPurpose[i] as string)) return true;
  return false;
}

export function incompatibleDeny(s: CompiledSubject, p: CompiledPurpose): DenyDecision {
  return denyOf(s, p, 'incompatible_purpose', 'further_use', 'context.collectedFor',
    `The data was collected for other purposes, and "${p.title}" (${p.id}) is neither one of them nor declared compatible with them (compatibleWith). Obtain the person's consent for this purpose first.`);
}

/**
 * Rule 10 relying on a consent with an id: the pair's allow, citing it. Built for
 * this call and held by its caller alone, so not frozen (see `sealForRecord`).
 */
export function consentAllow(a: AllowDecision, consentId: string): Decision {
  // Spelt out: copying a frozen decision with spread costs several times more.
  return { allowed: true, reason: a.reason, subject: a.subject, purpose: a.purpose, rule: a.rule, step: a.step, basis: a.basis, law: a.law, message: a.message, consentId };
}
