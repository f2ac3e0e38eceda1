/**
 * Determinism and order independence: equal inputs give equal decisions, and
 * permuting or duplicating consents, objections, data categories or
 * collectedFor, or reordering the catalogue's entries, changes nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CatalogueSpec, createGuard } from '../../src/index.js';
import { type ContextGen, defaultWorldArb, renderContext, renderStylesArb, worldArb } from './arbitraries.js';
import { params, TIMEOUT } from './config.js';
import { catalogueOf, core, guardOf, loose } from './helpers.js';

/** A deterministic shuffle driven by fast-check's numbers. */
function shuffle<T>(list: readonly T[], keys: readonly number[]): T[] {
  return list
    .map((x, i) => [x, keys[i % Math.max(1, keys.length)] ?? 0, i] as const)
    .sort((a, b) => a[1] - b[1] || a[2] - b[2])
    .map(([x]) => x);
}

/** Shuffles and duplicates some entries. */
function scramble<T>(list: readonly T[] | undefined, keys: readonly number[], dup: readonly boolean[]): T[] | undefined {
  if (list === undefined) return undefined;
  const out = shuffle(list, keys);
  list.forEach((x, i) => {
    if (dup[i % Math.max(1, dup.length)] === true) out.splice((keys[i % Math.max(1, keys.length)] ?? 0) % (out.length + 1), 0, x);
  });
  return out;
}

function reorderKeys<T extends object>(o: T, keys: readonly number[]): T {
  return Object.fromEntries(shuffle(Object.entries(o), keys)) as T;
}

/** The same catalogue with every map and list in another order. */
function reorderCatalogue(spec: CatalogueSpec, keys: readonly number[]): CatalogueSpec {
  const k2 = [...keys].reverse();
  return {
    ...spec,
    dataCategories: reorderKeys(spec.dataCategories, keys),
    purposes: reorderKeys(
      Object.fromEntries(
        Object.entries(spec.purposes).map(([id, p]) => [
          id,
          {
            ...p,
            ...(p.dataCategories === undefined ? {} : { dataCategories: shuffle(p.dataCategories, k2) }),
            ...(p.compatibleWith === undefined ? {} : { compatibleWith: shuffle(p.compatibleWith, keys) }),
          },
        ]),
      ),
      k2,
    ),
    subjects: reorderKeys(
      Object.fromEntries(
        Object.entries(spec.subjects).map(([id, s]) => [
          id,
          { ...s, purposes: reorderKeys(s.purposes, keys), ...(s.prohibited === undefined ? {} : { prohibited: shuffle(s.prohibited, k2) }) },
        ]),
      ),
      keys,
    ),
  };
}

const keysArb = fc.array(fc.nat(100), { minLength: 1, maxLength: 8 });
const dupArb = fc.array(fc.boolean(), { minLength: 1, maxLength: 8 });

describe('determinism and order independence', () => {
  it('equal inputs decide equally: again, on a second guard, with other offsets, through a transparent Proxy', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(fc.oneof(worldArb, defaultWorldArb), renderStylesArb, (w, otherStyles) => {
        const context = renderContext(w.context, w.styles);
        const first = guardOf(w.spec, w.clock).checkUse(w.subject, w.purpose, context);
        expect(guardOf(w.spec, w.clock).checkUse(w.subject, w.purpose, context)).toEqual(first);
        expect(guardOf(structuredClone(w.spec), w.clock).checkUse(w.subject, w.purpose, renderContext(w.context, w.styles))).toEqual(first);
        expect(guardOf(w.spec, w.clock).checkUse(w.subject, w.purpose, renderContext(w.context, otherStyles))).toEqual(first);
        expect(guardOf(w.spec, w.clock).checkUse(w.subject, w.purpose, new Proxy(context, {}))).toEqual(first);
      }),
      params(6001),
    );
  });

  it('re-entrancy: a context whose getters call checkUse themselves decides as its plain copy', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(worldArb, worldArb, (w, other) => {
        const context = renderContext(w.context, w.styles);
        const guard = guardOf(w.spec, w.clock);
        const plain = guard.checkUse(w.subject, w.purpose, context);
        // Inner calls carry their own now, so they never move the shared test clock.
        const inner = { ...renderContext(other.context, other.styles), now: new Date(other.clock) };
        const tricky = {};
        for (const [key, value] of Object.entries(context)) {
          Object.defineProperty(tricky, key, {
            enumerable: true,
            get: () => {
              guard.checkUse(other.subject, other.purpose, inner);
              guardOf(other.spec, w.clock).checkUse(other.subject, other.purpose, inner);
              return value;
            },
          });
        }
        expect(guardOf(w.spec, w.clock).checkUse(w.subject, w.purpose, tricky)).toEqual(plain);
      }),
      params(6004),
    );
  });

  it("the guard's clock is read at most once per decision, and never when the context has now", { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(worldArb, fc.boolean(), (w, withNow) => {
        let reads = 0;
        const guard = loose(createGuard(catalogueOf(w.spec), {
          clock: () => {
            reads++;
            return new Date(w.clock);
          },
        }));
        const context = renderContext({ ...w.context, now: withNow ? (w.context.now ?? w.clock) : undefined }, w.styles);
        const d = guard.checkUse(w.subject, w.purpose, context);
        expect(reads).toBeLessThanOrEqual(withNow ? 0 : 1);
        // And reading it or not changes nothing: the same decision as with now = the clock's time.
        expect(d).toEqual(guardOf(w.spec, w.clock).checkUse(w.subject, w.purpose, { ...context, now: context['now'] ?? new Date(w.clock) }));
      }),
      params(6005),
    );
  });

  it('permuting or duplicating consents, objections, data categories and collectedFor changes nothing', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(fc.oneof(worldArb, defaultWorldArb), keysArb, dupArb, (w, keys, dup) => {
        const c = w.context;
        const scrambled: ContextGen = {
          ...c,
          consents: scramble(c.consents, keys, dup),
          objections: scramble(c.objections, [...keys].reverse(), dup),
          dataCategories: scramble(c.dataCategories, keys, [...dup].reverse()),
          collectedFor: scramble(c.collectedFor, [...keys].reverse(), [...dup].reverse()),
        };
        const guard = guardOf(w.spec, w.clock);
        const a = guard.checkUse(w.subject, w.purpose, renderContext(c, w.styles));
        const b = guard.checkUse(w.subject, w.purpose, renderContext(scrambled, w.styles));
        expect(b).toEqual(a);
      }),
      params(6002),
    );
  });

  it('reordering the catalogue (maps and lists) changes no decision', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(worldArb, keysArb, (w, keys) => {
        const context = renderContext(w.context, w.styles);
        const a = guardOf(w.spec, w.clock).checkUse(w.subject, w.purpose, context);
        const b = guardOf(reorderCatalogue(w.spec, keys), w.clock).checkUse(w.subject, w.purpose, context);
        expect(core(b)).toEqual(core(a));
      }),
      params(6003),
    );
  });
});
