/**
 * Totality: whatever it is given, checkUse returns a Decision and never throws;
 * assertUse throws nothing but PurposeViolationError; permittedPurposes returns
 * an array; parseCatalogue returns a Catalogue or throws CatalogueError.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CatalogueError, createGuard, defaultCatalogue, parseCatalogue, PurposeViolationError, safeParseCatalogue } from '../../src/index.js';
import { createAuditTrail, memorySink } from '../../src/audit.js';
import { catalogueSpecArb } from './arbitraries.js';
import { params, TIMEOUT } from './config.js';
import { expectDecision, loose, problemWithDecision } from './helpers.js';
import { hostileArb, hostileContextArb, leafArb, realise, type Recipe } from './nasty.js';

const guard = loose(createGuard(defaultCatalogue, { clock: () => new Date(Date.UTC(2026, 0, 1)) }));
const idArb: fc.Arbitrary<Recipe> = fc.oneof(leafArb, fc.constantFrom('customer', 'employee', 'billing', 'marketing.notifications').map((v) => ({ t: 'value', v }) as const));
const noContext: fc.Arbitrary<Recipe> = fc.constant({ t: 'value', v: undefined });

describe('totality', () => {
  it('checkUse returns a Decision for any subject, purpose and context, and never throws', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(idArb, idArb, fc.oneof(noContext, hostileContextArb), (rs, rp, rc) => {
        const [subject, purpose, context] = [realise(rs), realise(rp), realise(rc)];
        const d = guard.checkUse(subject, purpose, context);
        expect(problemWithDecision(d)).toBeUndefined();
        if (typeof subject !== 'string' || typeof purpose !== 'string') expect(d.reason).toBe('invalid_input');
      }),
      params(1001),
    );
  });

  it('assertUse throws only PurposeViolationError; permittedPurposes returns an array of declared purposes', { timeout: TIMEOUT }, () => {
    const declared = Object.keys(defaultCatalogue.purposes);
    fc.assert(
      fc.property(idArb, idArb, fc.oneof(noContext, hostileContextArb), (rs, rp, rc) => {
        const [subject, purpose, context] = [realise(rs), realise(rp), realise(rc)];
        try {
          expectDecision(guard.assertUse(subject, purpose, context));
        } catch (error) {
          expect(error).toBeInstanceOf(PurposeViolationError);
          expectDecision((error as PurposeViolationError).decision);
        }
        const permitted = guard.permittedPurposes(subject, context);
        expect(Array.isArray(permitted)).toBe(true);
        for (const p of permitted) expect(declared).toContain(p);
      }),
      params(1002),
    );
  });

  it('with an audit trail, checkUse returns and checkUseAsync resolves to a Decision for anything, and never throws or rejects', { timeout: TIMEOUT }, async () => {
    const memory = memorySink();
    const trail = createAuditTrail({ catalogue: defaultCatalogue, sinks: [memory], hmacKey: 'k', onAuditError: () => {} });
    const audited = loose(createGuard(defaultCatalogue, { clock: () => new Date(Date.UTC(2026, 0, 1)), recorder: trail, onAuditError: () => {} }));
    const checkUseAsync = (audited as unknown as { checkUseAsync(s: unknown, p: unknown, c?: unknown): Promise<unknown> }).checkUseAsync;
    await fc.assert(
      fc.asyncProperty(idArb, idArb, fc.oneof(noContext, hostileContextArb), async (rs, rp, rc) => {
        expect(problemWithDecision(audited.checkUse(realise(rs), realise(rp), realise(rc)))).toBeUndefined();
        expect(problemWithDecision(await checkUseAsync(realise(rs), realise(rp), realise(rc)))).toBeUndefined();
      }),
      params(1005),
    );
  });

  it('parseCatalogue returns a catalogue or throws CatalogueError, for anything', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(fc.oneof(leafArb, hostileArb), (r) => {
        expectParsedOrCatalogueError(realise(r));
      }),
      params(1003),
    );
  });

  it('parseCatalogue returns or throws CatalogueError for valid catalogues with one hostile value planted anywhere', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(catalogueSpecArb, fc.nat(), fc.oneof(leafArb, hostileArb), (spec, where, r) => {
        expectParsedOrCatalogueError(plant(structuredClone(spec), where, realise(r)));
      }),
      params(1004),
    );
  });
});

function expectParsedOrCatalogueError(input: unknown): void {
  let threw: unknown;
  try {
    parseCatalogue(input);
  } catch (error) {
    threw = error;
  }
  if (threw !== undefined) {
    expect(threw).toBeInstanceOf(CatalogueError);
    expect((threw as CatalogueError).issues.length).toBeGreaterThan(0);
  }
  const safe = safeParseCatalogue(input);
  expect(safe.success).toBe(threw === undefined);
}

/** Replaces the `where`-th node (depth-first) of a JSON tree with `value`. */
function plant(root: unknown, where: number, value: unknown): unknown {
  const slots: [Record<string, unknown>, string][] = [];
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    for (const k of Object.keys(node)) {
      slots.push([node as Record<string, unknown>, k]);
      walk((node as Record<string, unknown>)[k]);
    }
  };
  walk(root);
  if (slots.length === 0) return value;
  const [parent, key] = slots[where % slots.length] as [Record<string, unknown>, string];
  parent[key] = value;
  return root;
}
