// Requires the built package by its name, as a user's CommonJS code (Jest, older Express apps) would.
const assert = require('node:assert/strict');
const pg = require('purpose-guard');

assert.equal(pg.checkUse('customer', 'billing').allowed, true);
assert.equal(pg.checkUse('customer', 'Billing').reason, 'unknown_purpose');
try {
  pg.assertUse('applicant', 'billing');
  assert.fail('assertUse should throw');
} catch (error) {
  assert.ok(error instanceof pg.PurposeViolationError);
  assert.equal(error.decision.reason, 'purpose_not_permitted');
}
for (const sub of ['node', 'audit', 'audit/sqlite', 'express', 'fastify', 'prisma', 'kysely', 'opentelemetry']) {
  require(`purpose-guard/${sub}`);
}
console.log('CJS smoke test passed');
