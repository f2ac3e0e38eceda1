/**
 * Public types of the catalogue: the policy as data. They mirror
 * `catalogueSchema` (schema.ts); `test/catalogue/schema.test-d.ts` keeps the two in step.
 */

/** A GDPR Art. 6(1) lawful basis. */
export type LegalBasis =
  | 'consent'
  | 'contract'
  | 'legal_obligation'
  | 'vital_interests'
  | 'public_task'
  | 'legitimate_interests';

/** A date-fns `Duration` of whole, non-negative units. */
export interface RetentionDuration {
  readonly years?: number | undefined;
  readonly months?: number | undefined;
  readonly weeks?: number | undefined;
  readonly days?: number | undefined;
  readonly hours?: number | undefined;
  readonly minutes?: number | undefined;
  readonly seconds?: number | undefined;
}

/** A category of personal data (contact details, payment data, health...). */
export interface DataCategorySpec {
  readonly title: string;
  readonly description?: string | undefined;
  /** APPI "special care-required personal information" / GDPR Art. 9 special category. */
  readonly specialCare?: boolean | undefined;
}

/** A declared purpose of use. A dot in its id makes it the child of the id before the dot. */
export interface PurposeSpec {
  readonly title: string;
  readonly description?: string | undefined;
  readonly basis?: LegalBasis | undefined;
  /** Why this basis: shown in the records of processing. */
  readonly basisNote?: string | undefined;
  readonly requiresConsent?: boolean | undefined;
  /** Whether a person may object to (opt out of) this purpose; inherited by descendants. */
  readonly objectable?: boolean | undefined;
  /** The data categories this purpose may touch; a child without its own list inherits its nearest ancestor's. */
  readonly dataCategories?: readonly string[] | undefined;
  /** Purposes that data collected for this purpose may later be used for (GDPR Art. 6(4)). */
  readonly compatibleWith?: readonly string[] | undefined;
}

/** A purpose's text in the privacy notice: plain text is a bullet, `style: 'note'` a ※ note. */
export type NoticeEntry = string | { readonly text: string; readonly style?: 'bullet' | 'note' | undefined };

/** A category of data subjects (customers, employees...) and what their data may be used for. */
export interface SubjectSpec {
  readonly title: string;
  readonly description?: string | undefined;
  /** The heading of this category in the privacy notice; default `Personal information on <title>`. */
  readonly noticeHeading?: string | undefined;
  /** Permitted purposes, each with the text the privacy notice shows for this category. */
  readonly purposes: { readonly [purpose: string]: NoticeEntry };
  /** Purposes denied to this category: the purpose itself, its ancestors and its descendants. */
  readonly prohibited?: readonly string[] | undefined;
  /** How long data may be used after the relationship ends. */
  readonly retention?: { readonly duration: RetentionDuration; readonly note?: string | undefined } | undefined;
}

/**
 * A purpose catalogue as written by a privacy team.
 *
 * @example
 * const spec: CatalogueSpec = {
 *   version: '2026-11-24',
 *   controller: { name: 'Example Co., Ltd.' },
 *   dataCategories: {},
 *   purposes: { billing: { title: 'Billing', basis: 'contract' } },
 *   subjects: { customer: { title: 'Customers', purposes: { billing: 'To bill the charge' } } },
 * };
 */
export interface CatalogueSpec {
  readonly version: string;
  /** IANA zone in which calendar durations (months, years) are counted; UTC when absent. */
  readonly timeZone?: string | undefined;
  readonly controller: {
    readonly name: string;
    readonly contact?: string | undefined;
    /** Enables the APPI Art. 18(3)(v)-(vi) academic-research exception. */
    readonly academicResearchInstitution?: boolean | undefined;
  };
  readonly notice?: { readonly heading?: string | undefined; readonly intro?: string | undefined } | undefined;
  readonly dataCategories: { readonly [id: string]: DataCategorySpec };
  readonly purposes: { readonly [id: string]: PurposeSpec };
  readonly subjects: { readonly [id: string]: SubjectSpec };
}

declare const catalogueBrand: unique symbol;

/**
 * A validated, deeply frozen catalogue. Only `defineCatalogue`, `parseCatalogue`
 * and `safeParseCatalogue` make one, so holding one proves it passed validation.
 *
 * @example
 * const c: Catalogue = parseCatalogue(JSON.parse(text));
 */
export type Catalogue<C extends CatalogueSpec = CatalogueSpec> = C & {
  readonly [catalogueBrand]: true;
};

/** The subject-category ids of a catalogue. */
export type SubjectOf<C extends CatalogueSpec> = keyof C['subjects'] & string;
/** The purpose ids of a catalogue. */
export type PurposeOf<C extends CatalogueSpec> = keyof C['purposes'] & string;
/** The data-category ids of a catalogue. */
export type DataCategoryOf<C extends CatalogueSpec> = keyof C['dataCategories'] & string;

/** A problem found in a catalogue. */
export interface CatalogueIssue {
  readonly code: CatalogueIssueCode;
  /** Where the problem is, from the catalogue's root. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** Machine-readable kinds of catalogue problems. */
export type CatalogueIssueCode =
  | 'invalid_type'
  | 'invalid_value'
  | 'invalid_id'
  | 'unknown_field'
  | 'unknown_purpose'
  | 'unknown_data_category'
  | 'undeclared_parent'
  | 'duplicate'
  | 'conflict'
  | 'cycle';

/** The result of `safeParseCatalogue`. */
export type SafeParseCatalogueResult<C extends CatalogueSpec = CatalogueSpec> =
  | { readonly success: true; readonly catalogue: Catalogue<C>; readonly error?: undefined }
  | { readonly success: false; readonly error: import('./error.js').CatalogueError; readonly catalogue?: undefined };

/**
 * Compile-time cross-references for `defineCatalogue`: a subject that permits
 * or prohibits an undeclared purpose does not compile, and the error names it.
 * (`parseCatalogue` checks the same at run time, with every other rule.)
 * The message is the key of an object type: a string literal would meet the
 * entry's own text in `C & CatalogueRefs<C>` and reduce the whole record to `never`.
 *
 * @example
 * // purposes: { biling: 'typo' } with no purpose "biling":
 * //   Type '"typo"' is not assignable to type '"typo" & { readonly "\"biling\" is not declared in purposes": true; }'.
 */
export type CatalogueRefs<C extends CatalogueSpec> = {
  readonly subjects: {
    readonly [S in keyof C['subjects']]: {
      readonly purposes: {
        readonly [P in keyof C['subjects'][S]['purposes']]: P extends PurposeOf<C> ? unknown : { readonly [K in `"${P & string}" is not declared in purposes`]: true };
      };
      readonly prohibited?: readonly PurposeOf<C>[] | undefined;
    };
  };
};
