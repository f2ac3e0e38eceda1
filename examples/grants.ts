/**
 * Grants as proof: a repository method that takes a `UseGrant` cannot be
 * called by code that skipped the check. `assertUse` is the only way to get
 * one, so "did someone check the purpose before reading this?" is answered by
 * the compiler, not by code review.
 *
 * Run: npx tsx examples/grants.ts
 */
import { pathToFileURL } from 'node:url';
import { createGuard, defaultCatalogue, PurposeViolationError, type UseGrant } from '../src/index.js';

const guard = createGuard(defaultCatalogue);

interface Invoice {
  readonly customerId: string;
  readonly amount: number;
  readonly cardLast4: string;
}

/** The billing repository asks for proof that this use is for billing. */
export class InvoiceRepository {
  readonly #invoices: readonly Invoice[] = [
    { customerId: 'cus-001', amount: 12800, cardLast4: '4242' },
    { customerId: 'cus-002', amount: 2400, cardLast4: '1881' },
  ];

  /** Requires a billing grant for customer data: a customer-support grant, or none, does not compile. */
  listFor(grant: UseGrant<'customer', 'billing'>, customerId: string): Invoice[] {
    void grant; // the parameter is the proof; its value also names the rule that allowed it, for logs
    return this.#invoices.filter((i) => i.customerId === customerId);
  }
}

/**
 * Shows a grant being obtained and used, and a denied check that never yields one.
 *
 * @example
 * runGrantsDemo();
 */
export function runGrantsDemo(log: (line: string) => void = console.log): { invoices: number; denied: string } {
  const invoices = new InvoiceRepository();

  const grant = guard.assertUse('customer', 'billing');
  const found = invoices.listFor(grant, 'cus-001');
  log(`billing grant (${grant.rule}, basis ${grant.basis}): ${found.length} invoice(s) for cus-001`);

  // These do not compile (the type tests in test/repository/grants.test-d.ts prove it):
  //   invoices.listFor(guard.assertUse('customer', 'customer-support'), 'cus-001'); // wrong purpose
  //   invoices.listFor(guard.checkUse('customer', 'billing'), 'cus-001');           // a decision is not a grant
  //   invoices.listFor({ allowed: true } as never, 'cus-001');                      // only with a cast, which review catches

  let denied = '';
  try {
    guard.assertUse('employee', 'marketing.analytics' as string);
  } catch (error) {
    if (!(error instanceof PurposeViolationError)) throw error;
    denied = error.reason;
    log(`no grant for employee/marketing.analytics: ${error.reason}: ${error.decision.message}`);
  }
  return { invoices: found.length, denied };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runGrantsDemo();
