/**
 * `npm run demo`: purpose-guard in a backend, end to end.
 */
import { runConsentDemo } from './consent-flow.js';
import { runDecisionsDemo } from './decisions.js';

runDecisionsDemo();
runConsentDemo();
