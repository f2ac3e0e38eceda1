/**
 * No mutation, no pollution: checkUse, permittedPurposes and parseCatalogue
 * leave their inputs deep-equal (and unfrozen if they were) and never touch
 * Object.prototype or Array.prototype. (A polluted prototype: pollution.test.ts.)
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCatalogue } from '../../src/index.js';
import { catalogueSpecArb, defaultWorldArb, renderContext, worldArb } from './arbitraries.js';
import { params, TIMEOUT } from './config.js';
import { guardOf, prototypeSnapshot } from './helpers.js';

/** Which nested objects are frozen, by path. */
function frozenMap(value: unknown, path = '$', out = new Map<string, boolean>()): Map<string, boolean> {
  if (value !== null && typeof value === 'object') {
    out.set(path, Object.isFrozen(value));
    for (const k of Object.keys(value)) frozenMap((value as Record<string, unknown>)[k], `${path}.${k}`, out);
  }
  return out;
}

describe('no mutation, no pollution', () => {
  const before = prototypeSnapshot();
  afterEach(() => {
    expect(prototypeSnapshot()).toEqual(before);
  });

  it('checkUse and permittedPurposes leave the context deep-equal and unfrozen', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(fc.oneof(worldArb, defaultWorldArb), (w) => {
        const context = renderContext(w.context, w.styles);
        const copy = structuredClone(context);
        const frozen = frozenMap(context);
        const guard = guardOf(w.spec, w.clock);
        guard.checkUse(w.subject, w.purpose, context);
        guard.permittedPurposes(w.subject, context);
        expect(context).toEqual(copy);
        expect(frozenMap(context)).toEqual(frozen);
      }),
      params(10001),
    );
  });

  it('parseCatalogue leaves its input deep-equal and unfrozen; the catalogue it returns is a frozen copy', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(catalogueSpecArb, (spec) => {
        const copy = structuredClone(spec);
        const catalogue = parseCatalogue(spec);
        expect(spec).toEqual(copy);
        for (const [path, isFrozen] of frozenMap(spec)) expect({ path, isFrozen }).toEqual({ path, isFrozen: false });
        expect(catalogue).toEqual(copy);
        for (const [path, isFrozen] of frozenMap(catalogue)) expect({ path, isFrozen }).toEqual({ path, isFrozen: true });
      }),
      params(10002),
    );
  });
});
