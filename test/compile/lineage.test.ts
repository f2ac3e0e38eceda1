/**
 * The compiled scope test: `inScope(p, q)` (two reads on interned purposes)
 * answers exactly what the string rule says, q is p or a whole-segment ancestor of p.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCatalogue, inScope } from '../../src/compile/compile.js';
import { isSelfOrDescendant } from '../../src/ids/ids.js';
import { defaultCatalogue } from '../../src/index.js';
import { catalogueSpecArb } from '../properties/arbitraries.js';
import { params } from '../properties/config.js';
import { catalogueOf } from '../properties/helpers.js';

describe('inScope over compiled purposes', () => {
  it('agrees with the whole-segment ancestor rule and with `scope` on every pair of every generated catalogue', () => {
    fc.assert(
      fc.property(catalogueSpecArb, (spec) => {
        const purposes = [...compileCatalogue(catalogueOf(spec)).purposes.values()];
        for (const p of purposes) {
          for (const q of purposes) {
            expect(inScope(p, q)).toBe(isSelfOrDescendant(p.id, q.id));
            expect(inScope(p, q)).toBe(p.scope.has(q.id));
          }
        }
      }),
      params(31001, { numRuns: 500 }),
    );
  });

  it('the seed catalogue: a sub-purpose is in its parent’s scope, never the reverse, and a look-alike id is not', () => {
    const purposes = compileCatalogue(defaultCatalogue).purposes;
    const get = (id: string) => {
      const p = purposes.get(id);
      if (p === undefined) throw new Error(`no purpose ${id}`);
      return p;
    };
    expect(get('marketing.notifications').lineage.map((q) => q?.id)).toEqual(['marketing', 'marketing.notifications']);
    expect(inScope(get('marketing.notifications'), get('marketing'))).toBe(true);
    expect(inScope(get('marketing'), get('marketing.notifications'))).toBe(false);
    expect(inScope(get('marketing.notifications'), get('marketing.analytics'))).toBe(false);
  });
});
