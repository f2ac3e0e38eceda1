import { tz } from '@date-fns/tz';
import { utc } from '@date-fns/utc';
import { formatPath } from '../catalogue/error.js';
import type { Catalogue, LegalBasis, RetentionDuration } from '../catalogue/types.js';
import { lawFor } from '../decision/law.js';
import { listIds } from '../decision/messages.js';
import type { AllowDecision, DecidingRecord, DenyDecision, DenyReason, RuleStep } from '../decision/types.js';
import { ancestorsOf, isSelfOrDescendant } from '../ids/ids.js';
import { ownSnapshot } from './snapshot.js';

/** A purpose with everything the hot path needs precomputed. */
export interface CompiledPurpose {
  readonly id: string;
  readonly title: string;
  readonly basis: LegalBasis;
  /** Strict ancestors, nearest first. */
  readonly ancestors: readonly string[];
  /** Itself and its ancestors: the purposes whose consents and objections apply to it. */
  readonly scope: ReadonlySet<string>;
  /** Its number of ancestors (0 for a root purpose). */
  readonly depth: number;
  /**
   * The compiled purposes of `scope` by depth, root first and itself last (undefined where an ancestor is
   * not declared): a compiled purpose `q` is in scope iff `lineage[q.depth] === q`, two reads and no hashing.
   */
  readonly lineage: readonly (CompiledPurpose | undefined)[];
  /** Path of the entry that makes consent necessary, or undefined. */
  readonly consentRule: string | undefined;
  /** Path of the entry that makes it objectable, or undefined. */
  readonly objectableRule: string | undefined;
  /** The declared data categories it may touch -> whether each is special-care (shared with the purposes that inherit the list). */
  readonly categories: ReadonlyMap<string, boolean>;
  /** `categories` as bits of `CompiledCatalogue.categoryBits`: the category rule reads numbers on an object it already holds. */
  readonly categoryMask: number;
  /** The special-care members of `categoryMask`. */
  readonly specialCareMask: number;
  readonly categoriesRule: string;
  /** Values of `collectedFor` under which this use is not a further use. */
  readonly furtherSources: ReadonlySet<string>;
}

/** A subject category with its lazily built per-purpose outcomes. */
export interface CompiledSubject {
  readonly id: string;
  readonly title: string;
  /** Granted purpose -> catalogue path of the grant. */
  readonly grants: ReadonlyMap<string, string>;
  readonly prohibited: readonly string[];
  readonly retention: { readonly duration: RetentionDuration; readonly rule: string; readonly text: string } | undefined;
  /**
   * Purpose id -> the pair's outcome, for the pairs met so far: built on first use, so compile time stays
   * flat in the catalogue's size. Keyed by the id the caller passes, so a check with a context reaches the
   * outcome in one lookup, and the compiled purpose through it (at 10,000 purposes, the catalogue's purpose
   * map, the purpose and an array indexed by it were three more likely cache misses).
   */
  readonly outcomes: Map<string, Outcome>;
  /**
   * Purpose id -> the decision without context, for the same pairs: a check without context is then one
   * lookup and one object, not two (at 10,000 purposes every extra object read is a likely cache miss).
   */
  readonly bare: Map<string, AllowDecision | DenyDecision>;
}

/** The static part of a (subject, purpose) decision, built once. */
export interface Outcome {
  /** A prohibition or missing permission: final whatever the context says. */
  readonly deny: DenyDecision | undefined;
  /** The allow decision for when every context rule passes and no consent is cited. */
  readonly allow: AllowDecision;
  /** The decision when there is no context at all. */
  readonly bare: AllowDecision | DenyDecision;
  /**
   * The purpose's facts the context rules read on every check, copied here so a check touches the
   * outcome and not also the compiled purpose (in a large catalogue, each object read may miss the cache).
   */
  readonly needsConsent: boolean;
  readonly objectable: boolean;
  readonly categoryMask: number;
  readonly specialCareMask: number;
  /** Why no consent counts, by reason, for a purpose that needs consent: written once, not on every deny. */
  readonly consentMessages: ConsentMessages | undefined;
  readonly subject: CompiledSubject;
  readonly purpose: CompiledPurpose;
}

/** The messages of the consent denies that cite a record (they depend on the purpose only). */
export interface ConsentMessages {
  readonly consent_withdrawn: string;
  readonly consent_expired: string;
  readonly consent_not_yet_valid: string;
}

/** The compiled catalogue: interned ids, precomputed hierarchy, frozen decisions. */
export interface CompiledCatalogue {
  readonly catalogue: Catalogue;
  readonly subjects: ReadonlyMap<string, CompiledSubject>;
  readonly purposes: ReadonlyMap<string, CompiledPurpose>;
  readonly dataCategories: ReadonlyMap<string, { readonly title: string; readonly specialCare: boolean }>;
  /** A bit for each of the first 30 declared data categories (masks stay small integers); the others use `CompiledPurpose.categories`. */
  readonly categoryBits: ReadonlyMap<string, number>;
  readonly subjectList: string;
  readonly purposeList: string;
  /** `controller.academicResearchInstitution`, read once at compile time from the catalogue's own fields. */
  readonly academicResearch: boolean;
  /** Counts calendar durations in the catalogue's zone, or UTC: never the process's local time. */
  readonly calendar: (value: Date | number | string) => Date;
  /** Denies for undeclared (subject, purpose) pairs met so far; bounded by `decide`, which fills it. */
  readonly unknownDenies: { pairs: number; readonly bySubject: Map<string, Map<string, DenyDecision>> };
}

const p = formatPath;

/**
 * Compiles a validated catalogue. Linear in its size; per-pair outcomes are built on first use.
 *
 * @example
 * const compiled = compileCatalogue(defaultCatalogue);
 * compiled.purposes.get('marketing.analytics')?.scope; // Set { 'marketing.analytics', 'marketing' }
 */
export function compileCatalogue(original: Catalogue): CompiledCatalogue {
  // Everything below reads own fields only (see `ownSnapshot`); `original` is what the guard exposes.
  const catalogue = ownSnapshot(original);
  const purposeEntries = Object.entries(catalogue.purposes);

  // Reverse index of compatibleWith: target purpose -> purposes whose data may be reused for it.
  const compatibleSources = new Map<string, string[]>();
  for (const [source, spec] of purposeEntries) {
    for (const target of spec.compatibleWith ?? []) {
      const list = compatibleSources.get(target) ?? [];
      list.push(source);
      compatibleSources.set(target, list);
    }
  }

  const categoryBits = new Map<string, number>();
  Object.keys(catalogue.dataCategories).forEach((c, i) => {
    if (i < 30) categoryBits.set(c, 1 << i);
  });
  // Compiled category lists are shared: by the purposes that inherit a list, and by lists with the same
  // members, which keeps large catalogues compact and quick to compile.
  type CategoryList = { map: ReadonlyMap<string, boolean>; mask: number; special: number };
  const byMembers = new Map<string, CategoryList>();
  const byOwner = new Map<string, CategoryList & { rule: string }>();
  const categoryListOf = (owner: string, list: readonly string[]): CategoryList & { rule: string } => {
    let entry = byOwner.get(owner);
    if (entry === undefined) {
      const members = list.join('\u0000');
      let shared = byMembers.get(members);
      if (shared === undefined) {
        const map = new Map(list.filter((c) => Object.hasOwn(catalogue.dataCategories, c)).map((c) => [c, catalogue.dataCategories[c]?.specialCare === true] as const));
        let mask = 0;
        let special = 0;
        for (const [c, isSpecial] of map) {
          const bit = categoryBits.get(c) ?? 0;
          mask |= bit;
          if (isSpecial) special |= bit;
        }
        shared = { map, mask, special };
        byMembers.set(members, shared);
      }
      entry = { ...shared, rule: p(['purposes', owner, 'dataCategories']) };
      byOwner.set(owner, entry);
    }
    return entry;
  };

  const purposes = new Map<string, CompiledPurpose>();
  for (const [id, spec] of purposeEntries) {
    const ancestors = ancestorsOf(id);
    const chain = [id, ...ancestors];
    const specs = chain.map((q) => catalogue.purposes[q]);
    const firstWith = <K extends 'basis' | 'dataCategories'>(key: K): [string, NonNullable<(typeof spec)[K]>] | undefined => {
      for (let i = 0; i < chain.length; i++) {
        const value = specs[i]?.[key];
        if (value !== undefined) return [chain[i] as string, value as NonNullable<(typeof spec)[K]>];
      }
      return undefined;
    };
    const basis = firstWith('basis')?.[1] ?? 'consent';
    const consentOwner = chain.find((q) => catalogue.purposes[q]?.requiresConsent === true);
    const consentRule =
      consentOwner !== undefined ? p(['purposes', consentOwner, 'requiresConsent']) : basis === 'consent' ? p(['purposes', firstWith('basis')?.[0] ?? id, 'basis']) : undefined;
    const objectableOwner = chain.find((q) => catalogue.purposes[q]?.objectable === true);
    const categories = firstWith('dataCategories');
    const categoryList = categoryListOf(categories?.[0] ?? id, categories?.[1] ?? []);
    const scope = new Set(chain);
    // Without compatibleWith links into the chain, the further-use sources are the scope itself: one Set, not two.
    let furtherSources: Set<string> = scope;
    for (const target of chain) {
      for (const source of compatibleSources.get(target) ?? []) {
        if (furtherSources === scope) furtherSources = new Set(chain);
        furtherSources.add(source);
      }
    }
    purposes.set(id, {
      id,
      title: spec.title,
      basis,
      ancestors,
      scope,
      depth: ancestors.length,
      lineage: [],
      consentRule,
      objectableRule: objectableOwner === undefined ? undefined : p(['purposes', objectableOwner, 'objectable']),
      categories: categoryList.map,
      categoryMask: categoryList.mask,
      specialCareMask: categoryList.special,
      categoriesRule: categoryList.rule,
      furtherSources,
    });
  }

  for (const purpose of purposes.values()) {
    const lineage = purpose.lineage as (CompiledPurpose | undefined)[];
    for (let d = 0; d <= purpose.depth; d++) lineage.push(purposes.get(d === purpose.depth ? purpose.id : (purpose.ancestors[purpose.depth - 1 - d] as string)));
  }

  const subjects = new Map<string, CompiledSubject>();
  for (const [id, spec] of Object.entries(catalogue.subjects)) {
    const grants = new Map<string, string>();
    for (const q of Object.keys(spec.purposes)) grants.set(q, p(['subjects', id, 'purposes', q]));
    subjects.set(id, {
      id,
      title: spec.title,
      grants,
      prohibited: spec.prohibited ?? [],
      retention:
        spec.retention === undefined
          ? undefined
          : { duration: spec.retention.duration, rule: p(['subjects', id, 'retention']), text: describeDuration(spec.retention.duration) },
      outcomes: new Map(),
      bare: new Map(),
    });
  }

  const dataCategories = new Map(
    Object.entries(catalogue.dataCategories).map(([id, c]) => [id, { title: c.title, specialCare: c.specialCare === true }] as const),
  );
  return {
    catalogue: original,
    subjects,
    purposes,
    dataCategories,
    categoryBits,
    subjectList: listIds([...subjects.keys()]),
    purposeList: listIds([...purposes.keys()]),
    academicResearch: catalogue.controller.academicResearchInstitution === true,
    calendar: catalogue.timeZone === undefined ? utc : tz(catalogue.timeZone),
    unknownDenies: { pairs: 0, bySubject: new Map() },
  };
}

/**
 * Whether consents and objections for `q` apply to `p`: `q` is `p` or one of its ancestors.
 *
 * @example
 * inScope(compiled.purposes.get('marketing.analytics'), compiled.purposes.get('marketing')); // true
 */
export function inScope(p: CompiledPurpose, q: CompiledPurpose): boolean {
  return q.depth <= p.depth && p.lineage[q.depth] === q;
}

/**
 * The static outcome for a pair, built on first use and then reused.
 *
 * @example
 * outcomeOf(subject, purpose).bare.allowed;
 */
export function outcomeOf(subject: CompiledSubject, purpose: CompiledPurpose): Outcome {
  return subject.outcomes.get(purpose.id) ?? buildOutcome(subject, purpose);
}

const PERMITTED_LAW: readonly string[] = Object.freeze(lawFor('permitted'));

function buildOutcome(subject: CompiledSubject, purpose: CompiledPurpose): Outcome {
  const who = `Data on ${subject.title} (${subject.id})`;
  const what = `"${purpose.title}" (${purpose.id})`;
  let deny: DenyDecision | undefined;
  const prohibitedIndex = subject.prohibited.findIndex((x) => isSelfOrDescendant(purpose.id, x) || isSelfOrDescendant(x, purpose.id));
  const grantedBy = [purpose.id, ...purpose.ancestors].find((q) => subject.grants.has(q));
  if (prohibitedIndex >= 0) {
    const x = subject.prohibited[prohibitedIndex] as string;
    deny = denyOf(subject, purpose, 'purpose_prohibited', 'permission', p(['subjects', subject.id, 'prohibited', prohibitedIndex]),
      `${who} must not be used for ${what}: the catalogue prohibits "${x}" for this category, which covers this purpose, its parents and its sub-purposes.`);
  } else if (grantedBy === undefined) {
    deny = denyOf(subject, purpose, 'purpose_not_permitted', 'permission', p(['subjects', subject.id, 'purposes']),
      `${who} may not be used for ${what}: it is not among the purposes of use published for this category. Use a listed purpose, or add this one to the catalogue and make it known before use.`);
  }
  const rule = grantedBy === undefined ? p(['subjects', subject.id, 'purposes']) : (subject.grants.get(grantedBy) as string);
  const allow: AllowDecision = Object.freeze({
    allowed: true,
    reason: 'permitted',
    subject: subject.id,
    purpose: purpose.id,
    rule,
    step: 'permission',
    basis: purpose.basis,
    // Shared by every allow of every pair, so frozen like the decision that holds it.
    law: PERMITTED_LAW,
    message: `${who} may be used for ${what}: permitted by ${rule} (basis: ${purpose.basis}).`,
  });
  const bare =
    deny ??
    (purpose.consentRule === undefined
      ? allow
      : denyOf(subject, purpose, 'consent_required', 'consent', purpose.consentRule,
          `${who} may be used for ${what} only with the person's consent (${purpose.consentRule}), and the context holds no consent for it. Obtain consent first.`));
  const consentRule = purpose.consentRule;
  const consentMessages =
    consentRule === undefined
      ? undefined
      : {
          consent_withdrawn: `The person withdrew the consent relied on for ${what}; stop this use (${consentRule}).`,
          consent_expired: `The consent for ${what} has expired; obtain it again before this use (${consentRule}).`,
          consent_not_yet_valid: `The consent for ${what} is not valid yet (granted in the future); wait or check the clock (${consentRule}).`,
        };
  const outcome: Outcome = Object.freeze({
    deny,
    allow,
    bare,
    needsConsent: consentRule !== undefined,
    objectable: purpose.objectableRule !== undefined,
    categoryMask: purpose.categoryMask,
    specialCareMask: purpose.specialCareMask,
    consentMessages,
    subject,
    purpose,
  });
  subject.outcomes.set(purpose.id, outcome);
  subject.bare.set(purpose.id, bare);
  return outcome;
}

/**
 * Builds a frozen deny decision.
 *
 * @example
 * denyOf(subject, purpose, 'objected', 'objection', 'context.objections[0]', 'The person objected.');
 */
export function denyOf(
  subject: CompiledSubject | { readonly id: string },
  purpose: CompiledPurpose | { readonly id: string },
  reason: DenyReason,
  step: RuleStep,
  rule: string,
  message: string,
  extra?: Pick<DenyDecision, 'field' | 'record'>,
): DenyDecision {
  const law = lawOf(reason);
  if (extra === undefined) return Object.freeze({ allowed: false, reason, subject: subject.id, purpose: purpose.id, rule, step, law, message });
  return Object.freeze({ allowed: false, reason, subject: subject.id, purpose: purpose.id, rule, step, law, message, ...extra });
}

/**
 * Builds a deny that cites the context record that decided it: the frequent
 * denies with a context (consent withdrawn, expired...), so written as one
 * literal (spread costs several times more). Built for one call and held by
 * its caller alone, so not frozen: `Object.freeze` would cost more than the
 * rest of the deny (see `sealForRecord`).
 *
 * @example
 * recordDeny(subject, purpose, 'consent_withdrawn', 'consent', 'context.consents', 'The person withdrew...', { kind: 'consent', purpose: 'marketing', at: '2026-01-01T00:00:00.000Z' });
 */
export function recordDeny(subject: CompiledSubject, purpose: CompiledPurpose, reason: DenyReason, step: RuleStep, rule: string, message: string, record: DecidingRecord): DenyDecision {
  return { allowed: false, reason, subject: subject.id, purpose: purpose.id, rule, step, law: lawOf(reason), message, record };
}

// `lawFor` is an exhaustive ts-pattern match, which costs more per call than the rest of a deny:
// each reason's (frozen, shared) list is built once.
const laws = new Map<DenyReason, readonly string[]>();
function lawOf(reason: DenyReason): readonly string[] {
  let law = laws.get(reason);
  if (law === undefined) {
    law = Object.freeze(lawFor(reason));
    laws.set(reason, law);
  }
  return law;
}

function describeDuration(d: RetentionDuration): string {
  const parts = (['years', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds'] as const)
    .filter((k) => (d[k] ?? 0) > 0)
    .map((k) => `${d[k]} ${d[k] === 1 ? k.slice(0, -1) : k}`);
  return parts.join(' ');
}
