import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { withTable } from '../../scripts/readme-catalogue.js';

test('the README shows the default catalogue as it is (run `npm run docs` if this fails)', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  expect(withTable(readme)).toBe(readme);
  expect(readme).toContain('| `employee` | `employment.health-management` | legal_obligation |  |  | identity, employment-record, **health** (special care) |');
});

test('the README shows the two commands that work on a fresh machine', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  expect(readme).toContain('npm install && npm run demo');
  expect(readme).toContain('npm install && npm test');
});
