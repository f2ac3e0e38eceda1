import type Database from 'better-sqlite3';
import type { DefaultCatalogue, Guard } from '../../src/index.js';
import { guardRepository } from '../../src/node.js';

export interface Customer {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  address: string | null;
  plan: string;
  cardLast4: string | null;
  cardToken: string | null;
  lastOrderTotal: number | null;
  supportNote: string | null;
}

/** Customers, over better-sqlite3 prepared statements. Plain code: it knows nothing about purposes. */
export class CustomerRepository {
  readonly #byId: Database.Statement<[string], Customer>;
  readonly #contact: Database.Statement<[string], Pick<Customer, 'name' | 'email'>>;
  readonly #setEmail: Database.Statement<[string, string]>;

  constructor(db: Database.Database) {
    this.#byId = db.prepare(
      `SELECT id, name, email, phone, address, plan, card_last4 AS cardLast4, card_token AS cardToken,
              last_order_total AS lastOrderTotal, support_note AS supportNote
       FROM customers WHERE id = ?`,
    );
    this.#contact = db.prepare('SELECT name, email FROM customers WHERE id = ?');
    this.#setEmail = db.prepare('UPDATE customers SET email = ? WHERE id = ?');
  }

  async findById(id: string): Promise<Customer | undefined> {
    return this.#byId.get(id);
  }

  /** The name and address to send marketing e-mail to. */
  async contactFor(id: string): Promise<Pick<Customer, 'name' | 'email'> | undefined> {
    return this.#contact.get(id);
  }

  async updateEmail(id: string, email: string): Promise<boolean> {
    return this.#setEmail.run(email, id).changes === 1;
  }
}

/** One person table read by id: clients, shareholders, applicants and employees share its shape. */
export class PersonRepository<Row> {
  readonly #byId: Database.Statement<[string], Row>;

  constructor(db: Database.Database, table: string, columns: string) {
    this.#byId = db.prepare(`SELECT ${columns} FROM ${table} WHERE id = ?`);
  }

  async findById(id: string): Promise<Row | undefined> {
    return this.#byId.get(id);
  }
}

/** The consent ledger: read to decide, before any personal data is touched, and written when a person withdraws. */
export class ConsentLedger {
  readonly #forCustomer: Database.Statement<[string], { id: string; purpose: string; grantedAt: string; withdrawnAt: string | null }>;
  readonly #withdraw: Database.Statement<[string, string, string]>;

  constructor(db: Database.Database) {
    this.#forCustomer = db.prepare('SELECT id, purpose, granted_at AS grantedAt, withdrawn_at AS withdrawnAt FROM consents WHERE customer_id = ?');
    this.#withdraw = db.prepare('UPDATE consents SET withdrawn_at = ? WHERE customer_id = ? AND purpose = ? AND withdrawn_at IS NULL');
  }

  /** In the shape `checkUse` reads (`context.consents`). */
  forCustomer(customerId: string): { purpose: string; grantedAt: string; withdrawnAt?: string; id: string }[] {
    return this.#forCustomer.all(customerId).map((c) => ({ id: c.id, purpose: c.purpose, grantedAt: c.grantedAt, ...(c.withdrawnAt === null ? {} : { withdrawnAt: c.withdrawnAt }) }));
  }

  withdraw(customerId: string, purpose: string, at: Date): boolean {
    return this.#withdraw.run(at.toISOString(), customerId, purpose).changes > 0;
  }
}

/** Which data category each column holds: the map minimisation works from. */
export const customerFields = {
  id: 'account',
  name: 'identity',
  email: 'contact',
  phone: 'contact',
  address: 'contact',
  plan: 'account',
  cardLast4: 'payment',
  cardToken: 'payment',
  lastOrderTotal: 'transaction',
  supportNote: 'inquiry',
} as const;

export const clientFields = { id: 'business-contact', name: 'identity', company: 'business-contact', title: 'business-contact', email: 'business-contact', dealNotes: 'business-dealings' } as const;
export const shareholderFields = { id: 'shareholding', name: 'identity', address: 'contact', shares: 'shareholding', dividendAccount: 'payment' } as const;
export const applicantFields = { id: 'application', name: 'identity', email: 'contact', cvSummary: 'application', interviewNotes: 'application' } as const;
export const employeeFields = { id: 'employment-record', name: 'identity', workEmail: 'business-contact', department: 'employment-record', salary: 'payroll', bankAccount: 'payroll', healthCheck: 'health' } as const;

export type Client = Record<keyof typeof clientFields, string>;
export type Shareholder = { id: string; name: string; address: string; shares: number; dividendAccount: string };
export type Applicant = Record<keyof typeof applicantFields, string | null>;
export type Employee = { id: string; name: string; workEmail: string; department: string; salary: number; bankAccount: string; healthCheck: string };

/**
 * The service's repositories, each wrapped once at start-up: from here on every
 * call is checked against the purpose of the request it runs in, and minimised.
 *
 * @example
 * const repos = createRepositories(db, guard);
 * await runWithPurpose({ purpose: 'billing' }, () => repos.customers.findById('cus-001'));
 */
export function createRepositories(db: Database.Database, guard: Guard<DefaultCatalogue>) {
  const customers = guardRepository(
    new CustomerRepository(db),
    {
      findById: { subject: 'customer', operation: 'read', dataCategories: ['identity'], fields: customerFields, context: (id) => ({ subjectId: id }) },
      contactFor: { subject: 'customer', operation: 'read', dataCategories: ['identity', 'contact'], fields: { name: 'identity', email: 'contact' }, context: (id) => ({ subjectId: id }) },
      updateEmail: { subject: 'customer', operation: 'update', dataCategories: ['contact'], context: (id) => ({ subjectId: id }) },
    },
    { guard },
  );
  const person = <Row>(table: string, columns: string, subject: 'client' | 'shareholder' | 'applicant' | 'employee', fields: Record<string, string>) =>
    guardRepository(
      new PersonRepository<Row>(db, table, columns),
      { findById: { subject, operation: 'read', dataCategories: ['identity'], fields: fields as never, context: (id) => ({ subjectId: id }) } },
      { guard, name: `${table[0]?.toUpperCase()}${table.slice(1)}Repository` },
    );
  return {
    guard,
    customers,
    clients: person<Client>('clients', 'id, name, company, title, email, deal_notes AS dealNotes', 'client', clientFields),
    shareholders: person<Shareholder>('shareholders', 'id, name, address, shares, dividend_account AS dividendAccount', 'shareholder', shareholderFields),
    applicants: person<Applicant>('applicants', 'id, name, email, cv_summary AS cvSummary, interview_notes AS interviewNotes', 'applicant', applicantFields),
    employees: person<Employee>('employees', 'id, name, work_email AS workEmail, department, salary, bank_account AS bankAccount, health_check AS healthCheck', 'employee', employeeFields),
    consents: new ConsentLedger(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
