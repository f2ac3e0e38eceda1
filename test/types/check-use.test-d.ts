import { describe, expectTypeOf, test } from 'vitest';
import {
  type AllowDecision,
  type AnyGuard,
  assertUse,
  checkUse,
  createGuard,
  type Decision,
  defaultCatalogue,
  defineCatalogue,
  type DenyReason,
  type Guard,
  type LegalException,
  type ObjectionRecord,
  parseCatalogue,
  type PermittedPurpose,
  type PurposeArg,
  type PurposeOf,
  permittedPurposes,
  type CatalogueSpec,
  type ConsentRecord,
  type ContextOf,
  contextSchemaFor,
  prepareContext,
  type SubjectOf,
  type UseContext,
  type UseGrant,
} from '../../src/index.js';
import type { DefaultCatalogue } from '../../src/index.js';

declare const customerOrEmployee: 'customer' | 'employee';
declare const clientOrEmployee: 'client' | 'employee';
declare const notificationsOrSurveys: 'marketing.notifications' | 'marketing.surveys';
declare const billingOrPayroll: 'billing' | 'employment.administration';
declare const runtimeSubject: string;
declare const runtimePurpose: string;
declare const maybeObjections: { purpose: string; at: string }[] | undefined;

describe('checkUse on the default catalogue', () => {
  test('a permitted literal pair compiles and keeps its literals', () => {
    const d = checkUse('customer', 'marketing.analytics');
    expectTypeOf(d).toEqualTypeOf<Decision<'customer', 'marketing.analytics'>>();
    if (d.allowed && d.reason !== 'monitored') expectTypeOf(d.purpose).toEqualTypeOf<'marketing.analytics'>();
  });

  test('a purpose the subject may not be used for is a compile error', () => {
    // @ts-expect-error employees' data is not for marketing
    checkUse('employee', 'marketing.analytics');
    // @ts-expect-error parents are granted to nobody
    checkUse('customer', 'marketing');
    // @ts-expect-error recruitment is only for applicants
    checkUse('customer', 'recruitment.communication');
    // @ts-expect-error undeclared purpose
    checkUse('customer', 'billing-export');
    // @ts-expect-error ids are case-sensitive
    checkUse('customer', 'Billing');
    // @ts-expect-error undeclared subject
    checkUse('visitor', 'billing');
    // @ts-expect-error not a string
    checkUse('customer', 42);
  });

  test('every seed pair compiles', () => {
    checkUse('customer', 'identification');
    checkUse('customer', 'website-convenience');
    checkUse('client', 'business-communication');
    checkUse('client', 'client-management');
    checkUse('shareholder', 'statutory-shareholder-rights');
    checkUse('shareholder', 'shareholder-registry');
    checkUse('applicant', 'recruitment.communication');
    checkUse('applicant', 'recruitment.administration');
    checkUse('employee', 'business-communication');
    checkUse('employee', 'employment.health-management');
  });

  test('ids known only at run time are accepted and checked at run time', () => {
    const subject: string = 'customer';
    const purpose: string = 'billing';
    expectTypeOf(checkUse(subject, purpose)).toEqualTypeOf<Decision<string, string>>();
    expectTypeOf(checkUse('customer', purpose)).toEqualTypeOf<Decision<'customer', string>>();
  });

  test('context records name declared purposes and data categories', () => {
    checkUse('customer', 'marketing.notifications', {
      consents: [{ purpose: 'marketing', grantedAt: new Date() }],
      dataCategories: ['contact'],
    });
    // @ts-expect-error undeclared purpose in a consent
    checkUse('customer', 'marketing.notifications', { consents: [{ purpose: 'marketting', grantedAt: new Date() }] });
    // @ts-expect-error undeclared data category
    checkUse('customer', 'billing', { dataCategories: ['credit-card'] });
    // @ts-expect-error misspelt context field
    checkUse('customer', 'billing', { consent: [] });
    // @ts-expect-error a misspelt field beside a right one
    checkUse('customer', 'billing', { consents: [], consent: [] });
    // @ts-expect-error undeclared purpose in an objection
    checkUse('customer', 'marketing.notifications', { objections: [{ purpose: 'marketting', at: new Date() }] });
    // @ts-expect-error undeclared purpose in collectedFor
    checkUse('customer', 'marketing.notifications', { collectedFor: ['billing', 'biling'] });
    // @ts-expect-error ids are case-sensitive in records too
    prepareContext({ consents: [{ purpose: 'Marketing', grantedAt: new Date() }] });
    // @ts-expect-error not an APPI Art. 18(3) ground
    checkUse('customer', 'billing', { exception: { ground: 'law', reference: 'Act No. 57 of 2003' } });
    checkUse('customer', 'billing', { exception: { ground: 'laws_and_regulations', reference: 'Act No. 57 of 2003' } });
  });

  test('record ids known only at run time (a database row) compile without casts, as subject and purpose do', () => {
    const rows: { purpose: string; grantedAt: Date; withdrawnAt: Date | undefined; id: string }[] = [];
    const objected: { purpose: string; at: Date }[] = [];
    const collected: string[] = [];
    const categories: string[] = [];
    checkUse('customer', 'marketing.notifications', { consents: rows, objections: objected, collectedFor: collected, dataCategories: categories });
    checkUse('customer', 'marketing.notifications', { consents: rows.map((r) => ({ purpose: r.purpose, grantedAt: r.grantedAt, id: r.id })) });
    expectTypeOf(assertUse('customer', 'billing', { consents: rows })).toEqualTypeOf<UseGrant<'customer', 'billing'>>();
    expectTypeOf(permittedPurposes('applicant', { consents: rows })).toEqualTypeOf<readonly ('recruitment.communication' | 'recruitment.administration')[]>();
    const prepared = prepareContext({ consents: rows, actor: `svc-${rows.length}`, subjectId: `person-${rows.length}` });
    expectTypeOf(checkUse('customer', 'billing', prepared)).toEqualTypeOf<Decision<'customer', 'billing'>>();
    // @ts-expect-error a copy of a prepared context holds none of its facts (refused at run time too)
    checkUse('customer', 'billing', { ...prepared, actor: 'svc' });
    // A context typed in full with the catalogue's ids is accepted as it is.
    const typed: ContextOf<DefaultCatalogue> = { consents: [{ purpose: 'marketing', grantedAt: new Date() }] };
    checkUse('customer', 'marketing.notifications', typed);
    // Template literals in free-text fields stay strings.
    checkUse('customer', 'billing', { actor: `user-${rows.length}`, subjectId: `p-${rows.length}` });
    // An exception ground read from a document is checked when the context is read (exception_invalid).
    const ground: string = 'laws_and_regulations';
    checkUse('customer', 'billing', { exception: { ground, reference: 'Act No. 57 of 2003' } });
  });

  test('contexts typed elsewhere pass as they are: wide, optional, parsed by the reference schema, spread', () => {
    checkUse('customer', 'billing', undefined);
    const wide: UseContext = {};
    checkUse('customer', 'billing', wide);
    const maybe = undefined as ContextOf<DefaultCatalogue> | undefined;
    checkUse('customer', 'billing', maybe);
    checkUse('customer', 'billing', contextSchemaFor(defaultCatalogue).parse({}));
    const base = { actor: 'svc-mail' };
    checkUse('customer', 'billing', { ...base, dataCategories: ['contact'] });
  });

  test('generic code over any catalogue passes its contexts through', () => {
    const generic = <C extends CatalogueSpec>(g: Guard<C>, context: ContextOf<C>, s: string, p: string) => g.checkUse(s, p, context);
    const any = (g: AnyGuard, context: UseContext, s: string, p: string) => g.checkUse(s, p, context);
    const guard = createGuard(defaultCatalogue);
    expectTypeOf(generic(guard, {}, 'customer', 'billing')).toEqualTypeOf<Decision<string, string>>();
    expectTypeOf(any(guard, {}, 'customer', 'billing')).toEqualTypeOf<Decision<string, string>>();
    // A subject typed SubjectOf<C> is a declared subject of any C; the purpose, a string here, is checked at run time.
    const bySubject = <C extends CatalogueSpec>(g: Guard<C>, s: SubjectOf<C>, p: string) => g.checkUse(s, p);
    expectTypeOf(bySubject(guard, 'customer', 'billing')).toEqualTypeOf<Decision<SubjectOf<DefaultCatalogue>, string>>();
  });

  test('deny reasons form a closed union', () => {
    const d = checkUse('customer', 'billing');
    if (!d.allowed) expectTypeOf(d.reason).toEqualTypeOf<DenyReason>();
  });
});

describe('a union of subjects, and subjects known only at run time', () => {
  const guard = createGuard(defaultCatalogue);

  test('a purpose must be permitted for every member of a subject union', () => {
    // @ts-expect-error employees' data is not for marketing, so "customer or employee" data is not either
    checkUse(customerOrEmployee, 'marketing.analytics');
    // @ts-expect-error the same through assertUse: no grant for a use one member forbids
    assertUse(customerOrEmployee, 'marketing.analytics');
    // @ts-expect-error permitted for employees, not for customers
    checkUse(customerOrEmployee, 'employment.administration');
    // @ts-expect-error client-management is the clients' only
    void guard.checkUseAsync(clientOrEmployee, 'client-management');
    // @ts-expect-error customers and employees share no purpose
    checkUse(customerOrEmployee, 'business-communication');
    expectTypeOf<PurposeArg<DefaultCatalogue, 'customer' | 'employee', 'marketing.analytics'>>().toEqualTypeOf<
      '✖ data on "employee" may not be used for "marketing.analytics": not one of its purposes of use'
    >();
    expectTypeOf<PurposeArg<DefaultCatalogue, 'customer' | 'employee', 'business-communication'>>().toEqualTypeOf<
      '✖ data on "customer" may not be used for "business-communication": not one of its purposes of use'
    >();
  });

  test('a purpose every member permits compiles and keeps its literals; purpose unions are checked member by member', () => {
    expectTypeOf(checkUse(clientOrEmployee, 'business-communication')).toEqualTypeOf<Decision<'client' | 'employee', 'business-communication'>>();
    expectTypeOf(assertUse(clientOrEmployee, 'business-communication')).toEqualTypeOf<UseGrant<'client' | 'employee', 'business-communication'>>();
    expectTypeOf(checkUse('customer', notificationsOrSurveys)).toEqualTypeOf<Decision<'customer', 'marketing.notifications' | 'marketing.surveys'>>();
    expectTypeOf<PurposeArg<DefaultCatalogue, 'customer', 'billing' | 'employment.administration'>>().toEqualTypeOf<
      'billing' | '✖ data on "customer" may not be used for "employment.administration": not one of its purposes of use'
    >();
    // @ts-expect-error a union on both sides: billing is not an employee purpose
    checkUse(customerOrEmployee, billingOrPayroll);
    // A run-time purpose stays accepted for a subject union (checked when decided).
    expectTypeOf(checkUse(customerOrEmployee, runtimePurpose)).toEqualTypeOf<Decision<'customer' | 'employee', string>>();
  });

  test('a subject known only at run time still needs a declared purpose literal', () => {
    // @ts-expect-error not a purpose of this catalogue, whoever the subject is
    checkUse(runtimeSubject, 'no-such-purpose');
    // @ts-expect-error misspelt, through assertUse
    assertUse(runtimeSubject, 'biling');
    // @ts-expect-error misspelt, through checkUseAsync
    void guard.checkUseAsync(runtimeSubject, 'Billing');
    expectTypeOf<PurposeArg<DefaultCatalogue, string, 'no-such-purpose'>>().toEqualTypeOf<'✖ "no-such-purpose" is not a purpose declared in this catalogue'>();
    expectTypeOf(checkUse(runtimeSubject, 'billing')).toEqualTypeOf<Decision<string, 'billing'>>();
    expectTypeOf(checkUse(runtimeSubject, runtimePurpose)).toEqualTypeOf<Decision<string, string>>();
    // permittedPurposes of a run-time subject may be any declared purpose (it was typed never[]), of a union those of any member.
    expectTypeOf(permittedPurposes(runtimeSubject)).toEqualTypeOf<readonly PurposeOf<DefaultCatalogue>[]>();
    expectTypeOf(permittedPurposes(clientOrEmployee)).toEqualTypeOf<
      readonly ('business-communication' | 'client-management' | 'employment.administration' | 'employment.health-management')[]
    >();
    // A guard over a parsed, untyped catalogue declares every string.
    const loose = createGuard(parseCatalogue({}));
    expectTypeOf(loose.checkUse(runtimeSubject, 'no-such-purpose')).toEqualTypeOf<Decision<string, 'no-such-purpose'>>();
  });
});

describe('misspelt fields inside context records', () => {
  const guard = createGuard(defaultCatalogue);
  const grantedAt = new Date();

  test('an unknown field of a consent, an objection or an exception is a compile error wherever a context goes', () => {
    // @ts-expect-error "withdrawAt" is not a field of a consent record (withdrawnAt is)
    checkUse('customer', 'billing', { consents: [{ purpose: 'billing', grantedAt, withdrawAt: grantedAt }] });
    // @ts-expect-error the same with a purpose known only at run time
    checkUse('customer', 'billing', { consents: [{ purpose: runtimePurpose, grantedAt, expiresOn: grantedAt }] });
    // @ts-expect-error "when" is not a field of an objection record
    assertUse('customer', 'billing', { objections: [{ purpose: 'marketing', at: grantedAt, when: grantedAt }] });
    // @ts-expect-error "consentImpractical" is not a field of a legal exception (consentImpracticable is)
    checkUse('customer', 'billing', { exception: { ground: 'laws_and_regulations', reference: 'Act No. 57 of 2003', consentImpractical: true } });
    // @ts-expect-error the same with a ground known only at run time
    checkUse('customer', 'billing', { exception: { ground: runtimePurpose, reference: 'x', consentImpractical: true } });
    // @ts-expect-error through checkUseAsync
    void guard.checkUseAsync('customer', 'billing', { consents: [{ purpose: 'billing', grantedAt, withdrawAt: grantedAt }] });
    // @ts-expect-error through permittedPurposes
    permittedPurposes('customer', { objections: [{ purpose: 'marketing', at: grantedAt, reason: 'opt-out' }] });
    // @ts-expect-error through prepareContext
    prepareContext({ consents: [{ purpose: 'marketing', grantedAt, revokedAt: grantedAt }] });
    const withColumn: { purpose: string; grantedAt: Date; personId: string }[] = [];
    // @ts-expect-error a row type with a column a consent record does not have (refused at run time: invalid_context)
    checkUse('customer', 'billing', { consents: withColumn });
    // @ts-expect-error the second record of a list
    checkUse('customer', 'billing', { consents: [{ purpose: 'billing', grantedAt }, { purpose: 'marketing', grantedAt, widthdrawnAt: grantedAt }] });
  });

  test('records with known fields only compile, written in place or typed elsewhere', () => {
    checkUse('customer', 'billing', {
      consents: [{ purpose: 'billing', grantedAt, withdrawnAt: grantedAt, expiresAt: grantedAt, id: 'c-1' }],
      objections: [{ purpose: 'marketing', at: grantedAt }],
      exception: { ground: 'protection_of_life_body_property', reference: 'x', consentImpracticable: true },
    });
    const consents: readonly ConsentRecord[] = [];
    const objections: ObjectionRecord[] = [];
    const exception: LegalException = { ground: 'laws_and_regulations', reference: 'x' };
    const rows: { purpose: string; grantedAt: Date; withdrawnAt?: Date | undefined; id: string }[] = [];
    checkUse('customer', 'billing', { consents, objections, exception });
    checkUse('customer', 'billing', { consents: rows, objections: maybeObjections });
    prepareContext({ consents: rows, exception });
    expectTypeOf(permittedPurposes('applicant', { consents })).toEqualTypeOf<readonly ('recruitment.communication' | 'recruitment.administration')[]>();
  });
});

describe('assertUse and grants', () => {
  test('assertUse returns a grant for exactly that pair', () => {
    const grant = assertUse('customer', 'billing');
    expectTypeOf(grant).toEqualTypeOf<UseGrant<'customer', 'billing'>>();
    const bill = (_grant: UseGrant<'customer', 'billing'>): void => undefined;
    bill(grant);
    // @ts-expect-error a grant for another purpose is not proof for billing
    bill(assertUse('customer', 'customer-support'));
    // @ts-expect-error a decision that was never checked is not a grant
    bill({ allowed: true, reason: 'permitted', subject: 'customer', purpose: 'billing' } as AllowDecision<'customer', 'billing'>);
  });
});

describe('catalogues defined in code', () => {
  const catalogue = defineCatalogue({
    version: '1',
    controller: { name: 'Acme' },
    dataCategories: { contact: { title: 'Contact' } },
    purposes: {
      billing: { title: 'Billing', basis: 'contract' },
      'billing.reminders': { title: 'Reminders' },
      'billing-export': { title: 'Export' },
      ads: { title: 'Ads' },
      'ads.profiling': { title: 'Profiling' },
      'ads.contextual': { title: 'Contextual' },
    },
    subjects: {
      // Granting `ads` itself would be a conflict (a prohibition denies its ancestors too): the permitted sub-purpose is granted.
      user: { title: 'Users', purposes: { billing: 'Bill', 'ads.contextual': 'Ads' }, prohibited: ['ads.profiling'] },
      guest: { title: 'Guests', purposes: {} },
    },
  });
  const guard = createGuard(catalogue);

  test('literals are inferred without `as const`', () => {
    expectTypeOf<PermittedPurpose<typeof catalogue, 'user'>>().toEqualTypeOf<'billing' | 'billing.reminders' | 'ads.contextual'>();
    expectTypeOf<PermittedPurpose<typeof catalogue, 'guest'>>().toEqualTypeOf<never>();
  });

  test('descendants of a grant compile; prohibited purposes, ungranted parents and segment look-alikes do not', () => {
    guard.checkUse('user', 'billing.reminders');
    guard.checkUse('user', 'ads.contextual');
    // @ts-expect-error prohibited
    guard.checkUse('user', 'ads.profiling');
    // @ts-expect-error a grant does not cover its parent (here also the ancestor of a prohibited purpose)
    guard.checkUse('user', 'ads');
    // @ts-expect-error `billing` never matches `billing-export`
    guard.checkUse('user', 'billing-export');
  });

  test('permittedPurposes is typed by subject', () => {
    expectTypeOf(guard.permittedPurposes('user')).toEqualTypeOf<readonly ('billing' | 'billing.reminders' | 'ads.contextual')[]>();
    expectTypeOf(permittedPurposes('applicant')).toEqualTypeOf<
      readonly ('recruitment.communication' | 'recruitment.administration')[]
    >();
  });

  test('a subject permitting or prohibiting an undeclared purpose does not compile', () => {
    defineCatalogue({
      version: '1',
      controller: { name: 'x' },
      dataCategories: {},
      purposes: { billing: { title: 'B' } },
      // @ts-expect-error "biling" is not declared in purposes
      subjects: { user: { title: 'U', purposes: { biling: 'b' } } },
    });
    defineCatalogue({
      version: '1',
      controller: { name: 'x' },
      dataCategories: {},
      purposes: { billing: { title: 'B' } },
      // @ts-expect-error prohibited names an undeclared purpose
      subjects: { user: { title: 'U', purposes: { billing: 'b' }, prohibited: ['ads'] } },
    });
  });

  test('a parsed (untyped) catalogue accepts any string and decides at run time', () => {
    const loose = createGuard(parseCatalogue({}));
    expectTypeOf(loose.checkUse('anything', 'at.all')).toEqualTypeOf<Decision<'anything', 'at.all'>>();
  });

  test('the default guard type', () => {
    expectTypeOf(createGuard(defaultCatalogue)).toEqualTypeOf<Guard<DefaultCatalogue>>();
  });

  test('every guard is an AnyGuard', () => {
    expectTypeOf(createGuard(defaultCatalogue)).toExtend<AnyGuard>();
    expectTypeOf(guard).toExtend<AnyGuard>();
    expectTypeOf(createGuard(parseCatalogue({}))).toExtend<AnyGuard>();
  });
});
