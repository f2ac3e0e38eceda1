import { createGuard, defaultCatalogue, type Decision } from '../../src/index.js';
import { currentScope, guardRepository } from '../../src/node.js';

/** A guarded in-memory customer repository shared by the adapter tests; it logs what ran and under which scope. */
export function customerFixture() {
  const decisions: Decision[] = [];
  const guard = createGuard(defaultCatalogue, { recorder: { record: (d) => void decisions.push(d) }, clock: () => new Date('2026-11-24T00:00:00Z') });
  const ran: { method: string; purpose: string | undefined; actor: unknown }[] = [];
  const rows = new Map([['c-1', { id: 'c-1', name: 'Aiko Tanaka', email: 'aiko@example.jp', cardNumber: '4242424242424242' }]]);
  const raw = {
    async findById(id: string) {
      await new Promise((r) => setTimeout(r, 1));
      const scope = currentScope();
      ran.push({ method: 'findById', purpose: scope?.purpose, actor: scope?.context?.actor });
      return rows.get(id);
    },
  };
  const customers = guardRepository(raw, {
    findById: { subject: 'customer', operation: 'read', fields: { id: 'account', name: 'identity', email: 'contact', cardNumber: 'payment' }, context: (id) => ({ subjectId: id }) },
  }, { guard, name: 'Customers' });
  return { guard, customers, ran, decisions };
}
