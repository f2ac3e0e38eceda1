// Imports the built package by its name, as a user's ESM code would (package self-reference through "exports").
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pg from 'purpose-guard';

const d = pg.checkUse('customer', 'billing');
assert.equal(d.allowed, true);
assert.equal(d.rule, 'subjects.customer.purposes.billing');
assert.equal(pg.checkUse('employee', 'marketing.analytics').reason, 'purpose_not_permitted');
assert.equal(pg.checkUse(null, 'billing').reason, 'invalid_input');
assert.throws(() => pg.assertUse('employee', 'marketing.analytics'), pg.PurposeViolationError);
assert.throws(() => pg.parseCatalogue({}), pg.CatalogueError);
const guard = pg.createGuard(pg.defaultCatalogue);
assert.deepEqual(guard.permittedPurposes('applicant'), ['recruitment.communication', 'recruitment.administration']);
assert.match(pg.renderPrivacyNotice(pg.defaultCatalogue), /^Purposes of use of personal information\n/);

// The core entry must not reach Node built-ins or optional peers, directly or through shared chunks.
const dist = join(dirname(fileURLToPath(import.meta.url)), '../../dist');
const seen = new Set();
const visit = (file) => {
  if (seen.has(file)) return;
  seen.add(file);
  const code = readFileSync(join(dist, file), 'utf8');
  const forbidden = code.match(/from ["'](node:[^"']+|better-sqlite3|express|fastify|kysely|@opentelemetry\/api)["']/);
  assert.equal(forbidden, null, `${file} imports ${forbidden?.[1]}`);
  for (const [, chunk] of code.matchAll(/from ["']\.\/([^"']+\.js)["']/g)) visit(chunk);
};
visit('index.js');

// Every subpath export resolves and loads.
for (const sub of ['node', 'audit', 'audit/sqlite', 'express', 'fastify', 'prisma', 'kysely', 'opentelemetry']) {
  await import(`purpose-guard/${sub}`);
}
console.log(`ESM smoke test passed (${seen.size} core files checked)`);
