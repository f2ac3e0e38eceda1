import type { CatalogueSpec, DataCategoryOf, PurposeOf, SubjectOf } from '../catalogue/types.js';
import type { UseContext } from '../rules/context.js';

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

/**
 * The purposes a subject category's data may be used for, as the compiler sees
 * them: granted directly or through an ancestor, and not touched by a prohibition.
 *
 * @example
 * type T = PermittedPurpose<typeof defaultCatalogue, 'applicant'>; // 'recruitment.communication' | 'recruitment.administration'
 */
export type PermittedPurpose<C extends CatalogueSpec, S extends string> = string extends PurposeOf<C>
  ? string
  : {
      [P in PurposeOf<C>]: Covers<GrantsOf<C, S>, P> extends true
        ? Covers<ProhibitedOf<C, S>, P> extends true
          ? never
          : HasUnder<ProhibitedOf<C, S>, P> extends true
            ? never
            : P
        : never;
    }[PurposeOf<C>];

/** The subject argument: a declared category, or any `string` known only at run time. */
export type SubjectArg<C extends CatalogueSpec, S extends string> = string extends S
  ? S
  : S extends SubjectOf<C>
    ? S
    : `✖ "${S}" is not a subject category of this catalogue`;

/**
 * The purpose argument: with literal arguments, only a purpose this subject's
 * data may be used for compiles; the error names the problem.
 */
export type PurposeArg<C extends CatalogueSpec, S extends string, P extends string> = string extends S
  ? P
  : string extends P
    ? P
    : S extends SubjectOf<C>
      ? P extends PermittedPurpose<C, S>
        ? P
        : P extends PurposeOf<C>
          ? `✖ data on "${S}" may not be used for "${P}": not one of its purposes of use`
          : `✖ "${P}" is not a purpose declared in this catalogue`
      : P;

/** The context type for a catalogue: record purposes and data categories must be declared ids. */
export type ContextOf<C extends CatalogueSpec> = UseContext<PurposeOf<C>, DataCategoryOf<C>>;

declare const preparedBrand: unique symbol;

/**
 * A context read and validated once by `guard.prepareContext`, for many checks:
 * pass it wherever a context goes. Later changes to the original object do not
 * reach it. Only the guard that prepared it accepts it.
 *
 * @example
 * const ctx: PreparedContext<DefaultCatalogue> = guard.prepareContext({ consents, dataCategories: ['contact'] });
 */
export interface PreparedContext<C extends CatalogueSpec = CatalogueSpec> {
  readonly [preparedBrand]: C;
  /** The context's actor, kept for audit trails. */
  readonly actor: string | undefined;
  /** The context's subject id, kept for audit trails (which store only a keyed hash of it). */
  readonly subjectId: string | undefined;
}
