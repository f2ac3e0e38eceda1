/**
 * The hand-written context validation of checkUse and the zod reference
 * `contextSchemaFor(catalogue)` accept and reject the same inputs:
 * `checkUse(...).reason === 'invalid_context'` iff the schema rejects.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CatalogueSpec, contextSchemaFor } from '../../src/index.js';
import { defaultWorldArb, renderContext, worldArb } from './arbitraries.js';
import { params, RUNS, TIMEOUT } from './config.js';
import { guardOf } from './helpers.js';
import { applyMutations, mutationsArb } from './mutations.js';

const schemas = new WeakMap<CatalogueSpec, ReturnType<typeof contextSchemaFor>>();

/** Whether the zod reference accepts a context; a schema that throws on it rejects it. */
function zodAccepts(spec: CatalogueSpec, context: unknown): boolean {
  let schema = schemas.get(spec);
  if (schema === undefined) {
    schema = contextSchemaFor(spec);
    schemas.set(spec, schema);
  }
  try {
    return schema.safeParse(context).success;
  } catch {
    return false;
  }
}

describe('context validation agrees with contextSchemaFor (zod)', () => {
  it('invalid_context iff the zod schema rejects, on valid and near-valid contexts', { timeout: TIMEOUT }, () => {
    let rejected = 0;
    fc.assert(
      fc.property(fc.oneof(worldArb, defaultWorldArb), mutationsArb, (w, mutations) => {
        const context = applyMutations(renderContext(w.context, w.styles), mutations, Object.keys(w.spec.purposes));
        const accepted = zodAccepts(w.spec, context);
        const d = guardOf(w.spec, w.clock).checkUse(w.subject, w.purpose, context);
        if (!accepted) rejected++;
        expect({ invalid: d.reason === 'invalid_context', field: d.allowed ? undefined : d.field }).toMatchObject({ invalid: !accepted });
      }),
      params(2001),
    );
    // The generator must exercise both sides; otherwise the property says little.
    expect(rejected).toBeGreaterThan(RUNS / 10);
  });
});
