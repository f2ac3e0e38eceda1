/**
 * `npm run demo`: purpose-guard in a backend, end to end.
 *
 * 1–2. Decisions against the default catalogue, and consent over time.
 * 3.   A real service: Express over SQLite, routes that declare their purpose,
 *      guarded repositories that deny before any query and minimise results.
 * 4.   The audit trail of the whole service session, hash-chained, verified.
 */
import { createGuard, defaultCatalogue } from '../src/index.js';
import { startSessionAudit } from './audit.js';
import { runConsentDemo } from './consent-flow.js';
import { runDecisionsDemo } from './decisions.js';
import { runServiceDemo } from './service/run.js';

runDecisionsDemo();
runConsentDemo();

const audit = startSessionAudit(defaultCatalogue);
const guard = createGuard(defaultCatalogue, { recorder: audit.trail });
const summary = await runServiceDemo({ guard });
const intact = await audit.finish();

console.log(
  `\nDone: ${summary.steps.length} requests (${summary.allowed + summary.minimised} allowed, of which ${summary.minimised} minimised; ${summary.denied} denied), ` +
    `${audit.events().length} decisions on record, audit log ${intact ? 'intact' : 'BROKEN'} (${audit.logPath}).`,
);
if (!intact) process.exitCode = 1;
