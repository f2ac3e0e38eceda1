import { expect, test } from 'vitest';
import { runGrantsDemo } from '../../examples/grants.js';

test('the grants example obtains a billing grant and is refused one for employee marketing', () => {
  const lines: string[] = [];
  expect(runGrantsDemo((l) => lines.push(l))).toEqual({ invoices: 1, denied: 'purpose_not_permitted' });
  expect(lines[0]).toMatch(/subjects\.customer\.purposes\.billing/);
});
