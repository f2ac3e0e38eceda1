import { describe, expectTypeOf, test } from 'vitest';
import { type AnyGuard, type CatalogueSpec, createGuard, defaultCatalogue, defineCatalogue, parseCatalogue, type UseGrant } from '../../src/index.js';
import { guardRepository, type RepositorySpec } from '../../src/node.js';
import type { DefaultCatalogue } from '../../src/index.js';

interface Invoice {
  id: string;
  amount: number;
}

class InvoiceRepo {
  #db = new Map<string, Invoice>();
  async listFor(_grant: UseGrant<'customer', 'billing'>, customerId: string): Promise<Invoice[]> {
    return [...this.#db.values()].filter((i) => i.id === customerId);
  }
  find(id: string): Invoice | undefined;
  find(ids: readonly string[]): Invoice[];
  find(x: string | readonly string[]): Invoice | Invoice[] | undefined {
    return typeof x === 'string' ? this.#db.get(x) : [];
  }
  first<T extends keyof Invoice>(key: T): Invoice[T] | undefined {
    return [...this.#db.values()][0]?.[key];
  }
  close(): void {}
}

const guard = createGuard(defaultCatalogue);

describe('grants as proof', () => {
  test('a grant of the right subject and purpose is accepted', () => {
    const repo = new InvoiceRepo();
    const grant = guard.assertUse('customer', 'billing');
    expectTypeOf(grant).toEqualTypeOf<UseGrant<'customer', 'billing'>>();
    expectTypeOf(repo.listFor(grant, 'c-1')).toEqualTypeOf<Promise<Invoice[]>>();
  });

  test('a grant of another purpose or subject, a plain decision, or nothing is a compile error', () => {
    const repo = new InvoiceRepo();
    const support = guard.assertUse('customer', 'customer-support');
    // @ts-expect-error -- a customer-support grant does not prove billing
    void repo.listFor(support, 'c-1');
    const staff = guard.assertUse('employee', 'employment.administration');
    // @ts-expect-error -- a grant for employees does not prove a customer use
    void repo.listFor(staff, 'c-1');
    const decision = guard.checkUse('customer', 'billing');
    // @ts-expect-error -- checkUse returns a decision, not a grant: the check could have denied
    void repo.listFor(decision, 'c-1');
    // @ts-expect-error -- a forged object is not a grant
    void repo.listFor({ allowed: true, subject: 'customer', purpose: 'billing' }, 'c-1');
  });
});

describe('a grant carries its catalogue', () => {
  const other = defineCatalogue({
    version: 'other-1',
    controller: { name: 'Other' },
    dataCategories: {},
    purposes: { billing: { title: 'Billing', basis: 'contract' } },
    subjects: { customer: { title: 'Customers', purposes: { billing: 'To bill' } } },
  });

  test('a grant from a guard over another catalogue is not proof for this one', () => {
    const repo = new InvoiceRepo();
    // @ts-expect-error -- another policy's "customer"/"billing" is not the default catalogue's
    void repo.listFor(createGuard(other).assertUse('customer', 'billing'), 'c-1');
    // @ts-expect-error -- a guard over a parsed, untyped catalogue proves nothing about the default catalogue
    void repo.listFor(createGuard(parseCatalogue({})).assertUse('customer', 'billing'), 'c-1');
    const own = (_grant: UseGrant<'customer', 'billing', typeof other>): void => undefined;
    own(createGuard(other).assertUse('customer', 'billing'));
    // @ts-expect-error -- and the other way round
    own(guard.assertUse('customer', 'billing'));
  });

  test('the grant type names the catalogue; UseGrant<S, P> is the default catalogue\'s, a CatalogueSpec grant any catalogue\'s', () => {
    expectTypeOf(guard.assertUse('customer', 'billing')).toEqualTypeOf<UseGrant<'customer', 'billing', DefaultCatalogue>>();
    expectTypeOf(guard.assertUse('customer', 'billing')).toEqualTypeOf<UseGrant<'customer', 'billing'>>();
    expectTypeOf(createGuard(other).assertUse('customer', 'billing')).toExtend<UseGrant<'customer', 'billing', CatalogueSpec>>();
    expectTypeOf(guard.assertUse('customer', 'billing')).toExtend<UseGrant<string, string, CatalogueSpec>>();
    const anyGuard: AnyGuard = guard;
    expectTypeOf(anyGuard.assertUse('customer', 'billing')).toEqualTypeOf<UseGrant<string, string, CatalogueSpec>>();
  });
});

describe('guardRepository keeps the original type', () => {
  const wrapped = guardRepository(
    new InvoiceRepo(),
    {
      listFor: { subject: 'customer', operation: 'read', fields: { id: 'transaction', amount: ['transaction', 'payment'] } },
      find: { subject: 'customer', operation: 'read', purpose: 'billing', dataCategories: ['transaction'] },
      first: { subject: 'customer', operation: 'read' },
    },
    { guard },
  );

  test('same type: class, overloads, generics, async', () => {
    expectTypeOf(wrapped).toEqualTypeOf<InvoiceRepo>();
    expectTypeOf(wrapped.find('a')).toEqualTypeOf<Invoice | undefined>();
    expectTypeOf(wrapped.find(['a'])).toEqualTypeOf<Invoice[]>();
    expectTypeOf(wrapped.first('amount')).toEqualTypeOf<number | undefined>();
    expectTypeOf(wrapped.listFor).returns.toEqualTypeOf<Promise<Invoice[]>>();
  });

  test('the spec is checked against the repository and the catalogue', () => {
    const repo = new InvoiceRepo();
    // @ts-expect-error -- no such method
    guardRepository(repo, { findAll: { subject: 'customer', operation: 'read' } }, { guard });
    // @ts-expect-error -- unknown subject category
    guardRepository(repo, { find: { subject: 'martian', operation: 'read' } }, { guard });
    // @ts-expect-error -- customers' data may not be used for employment.administration
    guardRepository(repo, { find: { subject: 'customer', operation: 'read', purpose: 'employment.administration' } }, { guard });
    // @ts-expect-error -- undeclared data category
    guardRepository(repo, { find: { subject: 'customer', operation: 'read', dataCategories: ['dna'] } }, { guard });
    // @ts-expect-error -- undeclared data category in the field map
    guardRepository(repo, { find: { subject: 'customer', operation: 'read', fields: { id: 'dna' } } }, { guard });
    // @ts-expect-error -- operation is required
    guardRepository(repo, { find: { subject: 'customer' } }, { guard });
    // the function forms get the method's arguments
    guardRepository(repo, { first: { subject: 'customer', operation: 'read', context: (key) => ({ subjectId: key }) } }, { guard });
    expectTypeOf<RepositorySpec<InvoiceRepo, DefaultCatalogue>>().toHaveProperty('close');
  });

  test('an AnyGuard is accepted (the spec is then checked at run time only)', () => {
    const anyGuard: AnyGuard = guard;
    const repo = new InvoiceRepo();
    expectTypeOf(guardRepository(repo, { find: { subject: 'customer', operation: 'read', purpose: 'billing', dataCategories: ['transaction'] } }, { guard: anyGuard })).toEqualTypeOf<InvoiceRepo>();
    guardRepository(repo, { find: { subject: 'customer', operation: 'read', purpose: 'whatever-the-catalogue-says' } }, { guard: anyGuard, unlisted: 'passthrough' });
  });

  test('an employee purpose for employee data compiles', () => {
    const repo = { async list(): Promise<string[]> { return []; } };
    const w = guardRepository(repo, { list: { subject: 'employee', operation: 'read', purpose: 'employment.health-management', dataCategories: ['health'] } }, { guard });
    expectTypeOf(w).toEqualTypeOf<typeof repo>();
  });
});
