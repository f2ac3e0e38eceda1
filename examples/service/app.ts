import express, { type Request } from 'express';
import { purposeErrorHandler, purposeFor } from '../../src/integrations/express/index.js';
import type { Repositories } from './repositories.js';

const id = (req: Request): string => String(req.params['id']);
const actor = (req: Request): string => req.get('x-actor') ?? 'anonymous';

/**
 * The example backend: every route declares the purpose it serves, and the
 * handlers are plain code calling guarded repositories. Nothing in a handler
 * checks a purpose; the guard does it where the data is.
 *
 * @example
 * createServiceApp(createRepositories(db, guard)).listen(3000);
 */
export function createServiceApp(repos: Repositories): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Route purposes bound to the catalogue: a misspelt one does not compile.
  const purpose = purposeFor(repos.guard);

  app.get('/support/customers/:id', purpose((req) => ({ purpose: 'customer-support', actor: actor(req) })), async (req, res) => {
    res.json((await repos.customers.findById(id(req))) ?? null);
  });
  app.get('/billing/customers/:id', purpose((req) => ({ purpose: 'billing', actor: actor(req) })), async (req, res) => {
    res.json((await repos.customers.findById(id(req))) ?? null);
  });
  // Marketing e-mail needs the person's consent: the consent ledger feeds the scope's context.
  app.get(
    '/marketing/customers/:id/contact',
    purpose((req) => ({ purpose: 'marketing.notifications', actor: actor(req), consents: repos.consents.forCustomer(id(req)) })),
    async (req, res) => {
      res.json((await repos.customers.contactFor(id(req))) ?? null);
    },
  );
  app.post('/customers/:id/consents/:purpose/withdraw', purpose((req) => ({ purpose: 'service-provision', actor: actor(req) })), (req, res) => {
    const done = repos.consents.withdraw(id(req), String(req.params['purpose']), new Date());
    res.status(done ? 204 : 404).end();
  });
  // A route someone forgot to declare: its repository calls are denied, not silently allowed.
  app.get('/legacy/customers/:id', async (req, res) => {
    res.json((await repos.customers.findById(id(req))) ?? null);
  });

  app.get('/accounts/clients/:id', purpose('client-management'), async (req, res) => {
    res.json((await repos.clients.findById(id(req))) ?? null);
  });
  app.get('/registry/shareholders/:id', purpose('shareholder-registry'), async (req, res) => {
    res.json((await repos.shareholders.findById(id(req))) ?? null);
  });
  app.get('/recruiting/applicants/:id', purpose('recruitment.communication'), async (req, res) => {
    res.json((await repos.applicants.findById(id(req))) ?? null);
  });
  app.get('/hr/employees/:id', purpose('employment.administration'), async (req, res) => {
    res.json((await repos.employees.findById(id(req))) ?? null);
  });
  app.get('/health/employees/:id', purpose('employment.health-management'), async (req, res) => {
    res.json((await repos.employees.findById(id(req))) ?? null);
  });
  app.get('/analytics/employees/:id', purpose('marketing.analytics'), async (req, res) => {
    res.json((await repos.employees.findById(id(req))) ?? null);
  });

  app.use(purposeErrorHandler());
  return app;
}
