import type { Catalogue, LegalBasis, RetentionDuration } from '../catalogue/types.js';
import { compileCatalogue, outcomeOf } from '../compile/compile.js';
import { ownSnapshot } from '../compile/snapshot.js';

/** A data category as the register lists it. */
export interface DataCategoryRecord {
  readonly id: string;
  readonly title: string;
  readonly description?: string | undefined;
  /** APPI special care-required personal information / GDPR Art. 9 special category. */
  readonly specialCare: boolean;
}

/** A purpose of processing for one subject category. */
export interface PurposeRecord {
  readonly id: string;
  readonly title: string;
  readonly description?: string | undefined;
  /** The GDPR Art. 6(1) basis the guard relies on (inherited from the nearest ancestor that states one). */
  readonly basis: LegalBasis;
  /** Why that basis: the note of the purpose that states the basis. */
  readonly basisNote?: string | undefined;
  /** Consent is needed before every use (the purpose, an ancestor, or a consent basis requires it). */
  readonly requiresConsent: boolean;
  /**
   * When consent is not needed for every use: the special care-required categories whose processing needs it
   * (APPI Art. 20(2), GDPR Art. 9): a use that touches any of them is denied without a valid consent, as the
   * guard decides it. Empty when `requiresConsent` (consent is then needed anyway) or when it touches none.
   * So a use of categories `D` needs consent iff `requiresConsent || D` meets `consentRequiredFor`.
   */
  readonly consentRequiredFor: readonly string[];
  /** The person may object (opt out); inherited from ancestors. */
  readonly objectable: boolean;
  /** The data categories this purpose may touch, in catalogue order. */
  readonly dataCategories: readonly string[];
  /** Those of them that are special care-required: processing them needs consent (see `consentRequiredFor`). */
  readonly specialCareData: readonly string[];
  /** Purposes data collected for this one may later be used for (GDPR Art. 6(4)). */
  readonly compatibleWith: readonly string[];
  /** The catalogue entry that permits it (`subjects.customer.purposes.billing`). */
  readonly permittedBy: string;
  /** The text the privacy notice shows for it. */
  readonly noticeText: string;
}

/** The register's entry for one category of data subjects. */
export interface SubjectRecord {
  readonly id: string;
  readonly title: string;
  readonly description?: string | undefined;
  readonly purposes: readonly PurposeRecord[];
  /** Every data category any of its purposes may touch, in catalogue order. */
  readonly dataCategories: readonly DataCategoryRecord[];
  /** The special care-required ones among them. */
  readonly specialCareData: readonly string[];
  /** Purposes expressly prohibited for this category. */
  readonly prohibited: readonly string[];
  /** How long data may be used after the relationship ends; absent when the catalogue states none. */
  readonly retention?: { readonly duration: RetentionDuration; readonly text: string; readonly note?: string | undefined } | undefined;
}

/** The records of processing activities (GDPR Art. 30(1); APPI Art. 21, 32) generated from a catalogue. */
export interface RecordsOfProcessing {
  readonly controller: { readonly name: string; readonly contact?: string | undefined };
  /** The catalogue's `version`: the register and the enforced rules come from the same document. */
  readonly catalogueVersion: string;
  readonly subjects: readonly SubjectRecord[];
  /** Every declared data category. */
  readonly dataCategories: readonly DataCategoryRecord[];
}

/**
 * The register of processing generated from the catalogue the code enforces:
 * per subject category, the purposes its data may be used for (as the guard
 * decides them: grants with their descendants, minus prohibitions), with legal
 * bases and notes, data categories, special-care data, consent and objection
 * facts, and retention. Plain JSON data (no dates of generation, so the same
 * catalogue gives the same register); render it with `recordsToMarkdown` or `recordsToCsv`.
 * The catalogue is read through an own-fields copy (`ownSnapshot`), as the
 * guard reads it: a polluted `Object.prototype` adds nothing to the register.
 *
 * @example
 * const records = recordsOfProcessing(defaultCatalogue);
 * records.subjects.find((s) => s.id === 'employee')?.specialCareData; // ['health']
 */
export function recordsOfProcessing(original: Catalogue): RecordsOfProcessing {
  const compiled = compileCatalogue(original);
  // An optional field left out (a description, a note, a contact) must not read through to a polluted prototype.
  const catalogue = ownSnapshot(original);
  const categoryRecord = (id: string): DataCategoryRecord => {
    const spec = catalogue.dataCategories[id];
    return { id, title: spec?.title ?? id, ...(spec?.description === undefined ? {} : { description: spec.description }), specialCare: spec?.specialCare === true };
  };
  const allCategories = Object.keys(catalogue.dataCategories);
  // The compiled purpose keeps its categories keyed by id; only membership matters here.
  const inOrder = (ids: { has(id: string): boolean }): string[] => allCategories.filter((c) => ids.has(c));

  const subjects = Object.entries(catalogue.subjects).map(([sid, spec]): SubjectRecord => {
    const subject = compiled.subjects.get(sid);
    const purposes: PurposeRecord[] = [];
    if (subject !== undefined) {
      for (const purpose of compiled.purposes.values()) {
        const outcome = outcomeOf(subject, purpose);
        if (outcome.deny !== undefined) continue;
        const pspec = catalogue.purposes[purpose.id];
        const grantedBy = [purpose.id, ...purpose.ancestors].find((q) => Object.hasOwn(spec.purposes, q)) ?? purpose.id;
        const entry = spec.purposes[grantedBy];
        const categories = inOrder(purpose.categories);
        // What rule 6 of the guard reads: the compiled purpose's categories, each with whether it is special care-required.
        const specialCareData = categories.filter((c) => purpose.categories.get(c) === true);
        const requiresConsent = purpose.consentRule !== undefined;
        // The note explains the basis, so it comes from the purpose that states the basis (itself or the nearest ancestor).
        const basisSource = [purpose.id, ...purpose.ancestors].find((q) => catalogue.purposes[q]?.basis !== undefined);
        const basisNote = basisSource === undefined ? undefined : catalogue.purposes[basisSource]?.basisNote;
        purposes.push({
          id: purpose.id,
          title: purpose.title,
          ...(pspec?.description === undefined ? {} : { description: pspec.description }),
          basis: purpose.basis,
          ...(basisNote === undefined ? {} : { basisNote }),
          requiresConsent,
          consentRequiredFor: requiresConsent ? [] : [...specialCareData],
          objectable: purpose.objectableRule !== undefined,
          dataCategories: categories,
          specialCareData,
          compatibleWith: [...(pspec?.compatibleWith ?? [])],
          permittedBy: outcome.allow.rule,
          noticeText: entry === undefined ? '' : typeof entry === 'string' ? entry : entry.text,
        });
      }
    }
    const used = new Set(purposes.flatMap((p) => p.dataCategories));
    const dataCategories = inOrder(used).map(categoryRecord);
    return {
      id: sid,
      title: spec.title,
      ...(spec.description === undefined ? {} : { description: spec.description }),
      purposes,
      dataCategories,
      specialCareData: dataCategories.filter((c) => c.specialCare).map((c) => c.id),
      prohibited: [...(spec.prohibited ?? [])],
      ...(subject?.retention === undefined
        ? {}
        : {
            retention: {
              duration: { ...subject.retention.duration },
              text: subject.retention.text,
              ...(spec.retention?.note === undefined ? {} : { note: spec.retention.note }),
            },
          }),
    };
  });

  return {
    controller: { name: catalogue.controller.name, ...(catalogue.controller.contact === undefined ? {} : { contact: catalogue.controller.contact }) },
    catalogueVersion: catalogue.version,
    subjects,
    dataCategories: allCategories.map(categoryRecord),
  };
}
