import type { CatalogueSpec, DataCategoryOf, PurposeOf, SubjectOf } from '../catalogue/types.js';
import type { ExceptionGround } from '../decision/types.js';
import type { ConsentRecord, LegalException, ObjectionRecord, UseContext } from '../rules/context.js';

type GrantsOf<C extends CatalogueSpec, S extends string> = S extends keyof C['subjects'] ? keyof C['subjects'][S]['purposes'] & string : never;

type ProhibitedOf<C extends CatalogueSpec, S extends string> = S extends keyof C['subjects']
  ? C['subjects'][S] extends { readonly prohibited: readonly (infer X extends string)[] }
    ? X
    : never
  : never;

/** `P` is `A` or under it, by whole segments (`billing` never covers `billing-export`). */
type Covers<A extends string, P extends string> = [A] extends [never] ? false : P extends A | `${A}.${string}` ? true : false;

/** Some member of `X` lies under `P`. */
type HasUnder<X extends string, P extends string> = [Extract<X, `${P}.${string}`>] extends [never] ? false : true;

/** The purposes one subject category's data may be used for (see `PermittedPurpose`). */
type PermittedFor<C extends CatalogueSpec, S extends string> = {
  [P in PurposeOf<C>]: Covers<GrantsOf<C, S>, P> extends true
    ? Covers<ProhibitedOf<C, S>, P> extends true
      ? never
      : HasUnder<ProhibitedOf<C, S>, P> extends true
        ? never
        : P
    : never;
}[PurposeOf<C>];

/**
 * The purposes a subject category's data may be used for, as the compiler sees
 * them: granted directly or through an ancestor, and not touched by a prohibition.
 * For a union of categories, those of any member (what `permittedPurposes` may
 * answer); for a category known only at run time (`string`), every declared purpose.
 *
 * @example
 * type T = PermittedPurpose<typeof defaultCatalogue, 'applicant'>; // 'recruitment.communication' | 'recruitment.administration'
 */
export type PermittedPurpose<C extends CatalogueSpec, S extends string> = string extends PurposeOf<C>
  ? string
  : string extends S
    ? PurposeOf<C>
    : S extends unknown
      ? PermittedFor<C, S>
      : never;

/**
 * The subject argument: a declared category (for a union, every member), or
 * any `string` known only at run time. Not distributive, so generic code
 * passing a `SubjectOf<C>` compiles, and the error names only the undeclared members.
 */
export type SubjectArg<C extends CatalogueSpec, S extends string> = string extends S
  ? S
  : [S] extends [SubjectOf<C>]
    ? S
    : `✖ "${Exclude<S, SubjectOf<C>>}" is not a subject category of this catalogue`;

/** The members of the subject union `S` whose data may not be used for the purpose `P` (a single declared id). */
type Refusing<C extends CatalogueSpec, S extends string, P extends string> = S extends SubjectOf<C> ? (P extends PermittedFor<C, S> ? never : S) : never;

/**
 * The purpose argument: with a literal purpose, only a purpose this subject's
 * data may be used for compiles (for a union of subjects, one every member's
 * data may be used for), and with a subject known only at run time, only a
 * declared purpose; the error names the problem. A purpose known only at run
 * time (`string`) is accepted and checked at run time.
 */
export type PurposeArg<C extends CatalogueSpec, S extends string, P extends string> = string extends P
  ? P
  : P extends PurposeOf<C>
    ? string extends S
      ? P
      : [Refusing<C, S, P>] extends [never]
        ? P
        : `✖ data on "${Refusing<C, S, P>}" may not be used for "${P}": not one of its purposes of use`
    : `✖ "${P}" is not a purpose declared in this catalogue`;

/**
 * The context type for a catalogue, with every id declared: the type to give a
 * context built in code. Checks take more (see `ContextBound`): ids that are
 * plain `string`s, known only at run time, are accepted there too.
 *
 * @example
 * const context: ContextOf<DefaultCatalogue> = { consents: [{ purpose: 'marketing', grantedAt: new Date() }] };
 */
export type ContextOf<C extends CatalogueSpec> = UseContext<PurposeOf<C>, DataCategoryOf<C>>;

/** An id in a context: a declared literal, or a `string` known only at run time (validated when the context is read). */
type ContextId<T, Declared extends string, What extends string> = T extends string
  ? string extends T
    ? T
    : T extends Declared
      ? T
      : `✖ "${T}" is not ${What}`
  : T;

type IdList<L, Declared extends string, What extends string> = L extends readonly unknown[] ? { [I in keyof L]: ContextId<L[I], Declared, What> } : L;

/** A record's field: a known one (`purpose` checked as an id), or the error naming an unknown one. */
type RecordList<L, Declared extends string, Known extends PropertyKey, What extends string> = L extends readonly unknown[]
  ? {
      [I in keyof L]: {
        [F in keyof L[I]]: F extends 'purpose'
          ? ContextId<L[I][F], Declared, 'a purpose declared in this catalogue'>
          : F extends Known
            ? L[I][F]
            : `✖ "${F & string}" is not a field of ${What}`;
      };
    }
  : L;

/** The loosest context a check accepts at compile time: every id a plain string (checked when the context is read). */
type RuntimeContext = Omit<UseContext<string, string>, 'exception'> & {
  readonly exception?: (Omit<LegalException, 'ground'> & { readonly ground: string }) | undefined;
};

type CheckedException<E> = E extends { readonly ground: infer G }
  ? {
      [F in keyof E]: F extends 'ground'
        ? ContextId<G, ExceptionGround, 'an APPI Art. 18(3) exception ground'>
        : F extends keyof LegalException
          ? E[F]
          : `✖ "${F & string}" is not a field of a legal exception`;
    }
  : E;

/** The fields of a record that its kind (`What`) does not have, each named in the error. */
type UnknownFieldsOf<R, Known extends PropertyKey, What extends string> = { [F in Exclude<keyof R, Known>]: `✖ "${F & string}" is not a field of ${What}` };

/** The keys of the records `E` (a union of record types) that a record of its kind does not have. */
type UnknownKeys<E, Known extends PropertyKey> = E extends unknown ? Exclude<keyof E, Known> : never;

/**
 * A list of records with each record's unknown fields named; `unknown` (no
 * constraint, so nothing is intersected with the record type) when every field
 * is known, as in a list typed elsewhere with the record's fields.
 */
type RecordFields<L, Known extends PropertyKey, What extends string> = L extends readonly unknown[]
  ? [UnknownKeys<L[number], Known>] extends [never]
    ? unknown
    : { [I in keyof L]: UnknownFieldsOf<L[I], Known, What> }
  : L extends undefined
    ? undefined
    : unknown;

/**
 * Fields a context does not have, each named in the error: at the top level,
 * and inside its consent and objection records and its legal exception (a
 * misspelt `withdrawnAt` or `consentImpracticable` must not be dropped silently;
 * the run-time check refuses it too, `invalid_context`).
 */
type NoUnknownFields<X> = {
  [K in keyof X]: K extends 'consents'
    ? RecordFields<X[K], keyof ConsentRecord, 'a consent record'>
    : K extends 'objections'
      ? RecordFields<X[K], keyof ObjectionRecord, 'an objection record'>
      : K extends 'exception'
        ? [UnknownKeys<X[K], keyof LegalException>] extends [never]
          ? unknown
          : UnknownFieldsOf<NonNullable<X[K]>, keyof LegalException, 'a legal exception'> | Extract<X[K], undefined>
        : K extends keyof UseContext
          ? unknown
          : `✖ "${K & string}" is not a context field`;
};

/**
 * What `prepareContext` accepts: a context typed `ContextOf<C>` (as generic
 * code over `Guard<C>` has one) with no unknown field, or else a context
 * checked field by field by `ContextArg`. A conditional, not a union, so an
 * error names the field at fault (`✖ ...`), not the whole catalogue type.
 */
export type ContextInputBound<C extends CatalogueSpec, X> = [X] extends [ContextOf<C>] ? ContextOf<C> & NoUnknownFields<X> : ContextArg<C, X>;

/** What the checks accept as a context: what `prepareContext` accepts, or a prepared context. */
export type ContextBound<C extends CatalogueSpec, X> = ContextInputBound<C, X> | PreparedContext<C>;

/**
 * A context argument checked field by field against the catalogue, the way
 * `SubjectArg` and `PurposeArg` check ids: a record purpose, a `collectedFor`
 * entry, a data category or an exception ground may be a declared literal or a
 * plain `string` from a database (an undeclared one then denies at run time:
 * `invalid_context`, or `exception_invalid` for a ground); a literal that is
 * not declared, or a misspelt field (of the context, of a consent or objection
 * record, of the exception), is a compile error that names it. Part
 * of `ContextBound`, the bound of the checks' `const X` parameter.
 *
 * @example
 * declare const rows: { purpose: string; grantedAt: Date }[];
 * guard.checkUse('customer', 'marketing.notifications', { consents: rows }); // compiles: checked when read
 * // @ts-expect-error: '✖ "marketting" is not a purpose declared in this catalogue'
 * guard.checkUse('customer', 'marketing.notifications', { consents: [{ purpose: 'marketting', grantedAt: new Date() }] });
 */
export type ContextArg<C extends CatalogueSpec, X> = RuntimeContext & {
  [K in keyof X]: K extends 'consents' | 'objections'
    ? RecordList<X[K], PurposeOf<C>, K extends 'consents' ? keyof ConsentRecord : keyof ObjectionRecord, K extends 'consents' ? 'a consent record' : 'an objection record'>
    : K extends 'collectedFor'
      ? IdList<X[K], PurposeOf<C>, 'a purpose declared in this catalogue'>
      : K extends 'dataCategories'
        ? IdList<X[K], DataCategoryOf<C>, 'a data category declared in this catalogue'>
        : K extends 'exception'
          ? CheckedException<X[K]>
          : K extends keyof UseContext
            ? X[K]
            : `✖ "${K & string}" is not a context field`;
};

/**
 * The brand of a prepared context: a private member, so only `prepareContext`'s
 * result has it (a look-alike object literal does not), it carries the catalogue
 * (a context prepared for one catalogue is not another's), and a spread drops it
 * (a copy holds none of the facts).
 */
declare abstract class PreparedContextBrand<C extends CatalogueSpec> {
  private readonly preparedFor: C;
}

/**
 * A context read and validated once by `guard.prepareContext`, for many checks:
 * pass it wherever a context goes. Later changes to the original object do not
 * reach it. Only the guard that prepared it accepts it.
 *
 * @example
 * const ctx: PreparedContext<DefaultCatalogue> = guard.prepareContext({ consents, dataCategories: ['contact'] });
 */
export interface PreparedContext<C extends CatalogueSpec = CatalogueSpec> extends PreparedContextBrand<C> {
  /**
   * Marks a prepared context. Its facts are private to it, so a copy (`{ ...prepared }`,
   * `structuredClone`, a Proxy) holds none of them; the copy keeps this field, and a check
   * refuses it (`invalid_context`, field `context.prepared`) rather than read it as a context
   * without consents, objections or categories. Spreading one is a compile error for the same reason.
   */
  readonly prepared: true;
  /** The context's actor, kept for audit trails. */
  readonly actor: string | undefined;
  /** The context's subject id, kept for audit trails (which store only a keyed hash of it). */
  readonly subjectId: string | undefined;
}
