/**
 * Runs the conformance corpus (cases/*.json) against checkUse, and against the
 * naive reference decideSpec: the corpus states the rules, not this
 * implementation's accidents, so both must pass it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type CatalogueSpec, createGuard, type Decision, parseCatalogue } from '../../src/index.js';
import { decideSpec } from '../reference/decide-spec.js';
import { conformanceFileSchema } from './format.js';

const dir = join(fileURLToPath(new URL('.', import.meta.url)), 'cases');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

describe('conformance corpus', () => {
  it('has files, each valid against the format', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const f of files) {
      const result = conformanceFileSchema.safeParse(JSON.parse(readFileSync(join(dir, f), 'utf8')));
      expect(result.success, `${f}: ${result.error?.message ?? ''}`).toBe(true);
    }
  });

  for (const f of files) {
    const file = conformanceFileSchema.parse(JSON.parse(readFileSync(join(dir, f), 'utf8')));
    describe(`${f}: ${file.description}`, () => {
      const catalogue = parseCatalogue(file.catalogue);
      for (const c of file.cases) {
        it(c.name, () => {
          const clock = new Date(c.call.clock ?? Number.NaN);
          const guard = createGuard(catalogue, { clock: () => clock });
          const check = guard.checkUse as (s: unknown, p: unknown, ctx?: unknown) => Decision;
          const args: unknown[] = [c.call.subject, c.call.purpose];
          if ('context' in c.call) args.push(c.call.context);
          const d = check(...(args as [unknown, unknown, unknown?]));
          const got: Record<string, unknown> = { allowed: d.allowed, reason: d.reason };
          if (c.expected.rule !== undefined) got['rule'] = d.rule;
          if (c.expected.consentId !== undefined || d.reason === 'permitted') {
            const id = d.reason === 'permitted' ? d.consentId : undefined;
            if (id !== undefined || c.expected.consentId !== undefined) got['consentId'] = id;
          }
          if (d.reason === 'permitted_by_exception') got['exceptionGround'] = d.exception?.ground;
          expect(got).toEqual(c.expected);

          const r = decideSpec(catalogue as CatalogueSpec, c.call.subject, c.call.purpose, c.call.context, clock);
          expect({ allowed: r.allowed, reason: r.reason, consentId: r.consentId }).toEqual({
            allowed: c.expected.allowed,
            reason: c.expected.reason,
            consentId: c.expected.consentId,
          });
        });
      }
    });
  }
});
