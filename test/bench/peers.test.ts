import { describe, expect, test } from 'vitest';
import { ENGINES } from '../../bench/peers/engines.js';
import { VALIDATING_OWN, validOwnContext } from '../../bench/peers/plain-own.js';
import { validContext } from '../../bench/peers/plain-strict.js';
import { describeDisagreements, disagreements } from '../../bench/peers/verify.js';
import { generateWorkload, MIX, NOW, policyFacts, type QueryKind } from '../../bench/peers/workload.js';
import { type Catalogue, createGuard, type Decision, defaultCatalogue } from '../../src/index.js';

// The peer benchmark compares speed only if every engine answers the same question the same way.
// No timing here: this is the correctness of the CASL, Casbin and accesscontrol mappings.
const facts = policyFacts();
const queries = generateWorkload(10_000, 20261125, facts);
const engines = await Promise.all(ENGINES.map((make) => make(queries, facts)));
const reference = engines.find((e) => e.name === 'purpose-guard checkUse');
if (reference === undefined) throw new Error('the purpose-guard engine is missing');

describe('peer benchmark workload', () => {
  test('is deterministic', () => {
    expect(generateWorkload(500, 20261125, facts)).toEqual(generateWorkload(500, 20261125, facts));
  });

  test('is about 60% allowed, and every kind of deny is denied by checkUse', async () => {
    const answers = await reference.answers();
    const share = answers.filter(Boolean).length / queries.length;
    expect(share).toBeGreaterThan(0.55);
    expect(share).toBeLessThan(0.65);
    for (const kind of Object.keys(MIX) as QueryKind[]) {
      const of = queries.flatMap((q, i) => (q.kind === kind ? [answers[i]] : []));
      expect(of.length, kind).toBeGreaterThan(0);
      expect(new Set(of), kind).toEqual(new Set([kind.startsWith('allowed')]));
    }
  });
});

describe('every peer mapping gives checkUse’s answer on the whole workload', () => {
  for (const engine of engines.filter((e) => e.verified && e !== reference)) {
    test(engine.name, async () => {
      const bad = await disagreements([engine], reference, queries);
      expect(bad.length, describeDisagreements(bad)).toBe(0);
    });
  }

  test('the check is not vacuous: the pair lookup alone, which ignores consent, is caught disagreeing', async () => {
    const floor = engines.find((e) => !e.verified);
    expect(floor).toBeDefined();
    const bad = await disagreements([{ ...(floor as (typeof engines)[number]), verified: true }], reference, queries);
    expect(bad.length).toBeGreaterThan(0);
    expect(new Set(bad.map((d) => d.query.kind))).not.toContain('allowed');
  });
});

describe('the validating baselines refuse what checkUse refuses as invalid_context', () => {
  const guard = createGuard(defaultCatalogue as Catalogue, { clock: () => NOW });
  const declared = new Set(facts.purposes);
  const granted = new Date('2026-01-01T00:00:00Z');
  const ok = { purpose: 'marketing', grantedAt: granted, id: 'c-1' };
  const cases: Record<string, unknown> = {
    'an unknown context field': { consents: [ok], consent: [] },
    'consents not an array': { consents: ok },
    // biome-ignore lint/suspicious/noSparseArray: the hole is the case under test
    'a sparse consent list': { consents: [ok, , ok] },
    'a record that is an array': { consents: [[ok]] },
    'a record that is a string': { consents: ['marketing'] },
    'an unknown record field': { consents: [{ ...ok, scope: 'all' }] },
    'an undeclared purpose': { consents: [{ ...ok, purpose: 'Marketing' }] },
    'a missing grantedAt': { consents: [{ purpose: 'marketing' }] },
    'an invalid date': { consents: [{ ...ok, grantedAt: new Date(Number.NaN) }] },
    'withdrawn before granted': { consents: [{ ...ok, withdrawnAt: new Date('2025-01-01T00:00:00Z') }] },
    'expires before granted': { consents: [{ ...ok, expiresAt: new Date('2025-01-01T00:00:00Z') }] },
    'a numeric id': { consents: [{ ...ok, id: 7 }] },
  };
  const check = (context: unknown) => (guard.checkUse as (s: string, p: string, c: unknown) => Decision)('customer', 'billing', context);
  for (const [name, context] of Object.entries(cases)) {
    test(name, () => {
      expect(check(context).reason).toBe('invalid_context');
      expect(validContext(context, declared)).toBe(false);
      expect(validOwnContext(context, declared)).toBe(false);
    });
  }

  test('a hole that a polluted Array.prototype fills: the own-fields baseline refuses it, the trusting one is fooled', () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole is the case under test
    const context = { consents: [ok, , ok] };
    Object.defineProperty(Array.prototype, 1, { value: ok, configurable: true, enumerable: true });
    try {
      expect(check(context).reason).toBe('invalid_context');
      expect(validOwnContext(context, declared)).toBe(false);
      expect(validContext(context, declared)).toBe(true);
    } finally {
      Reflect.deleteProperty(Array.prototype, 1);
    }
  });

  test('under a polluted Object.prototype, the own-fields baseline still agrees with checkUse on the whole workload (inherited fields never count)', async () => {
    const own = engines.find((e) => e.name === VALIDATING_OWN);
    expect(own).toBeDefined();
    const polluted = { withdrawnAt: new Date('2020-01-01T00:00:00Z'), expiresAt: new Date('2020-01-01T00:00:00Z'), scope: 'all', consents: [ok] };
    const answers = async () => [await (own as (typeof engines)[number]).answers(), await reference.answers()];
    const [clean] = await answers();
    Object.assign(Object.prototype, polluted);
    let under: boolean[][];
    try {
      under = await answers();
    } finally {
      for (const key of Object.keys(polluted)) Reflect.deleteProperty(Object.prototype, key);
    }
    expect(under[1]).toEqual(clean);
    expect(under[0]).toEqual(clean);
    // The pollution would change the answers of code that reads inherited fields: the case is not vacuous.
    Object.assign(Object.prototype, polluted);
    let fooled: boolean;
    try {
      fooled = validContext({}, declared);
    } finally {
      for (const key of Object.keys(polluted)) Reflect.deleteProperty(Object.prototype, key);
    }
    expect(fooled).toBe(false);
  });
  test('and accepts the well-formed contexts checkUse accepts', () => {
    const nullPrototype = Object.assign(Object.create(null), ok);
    for (const context of [{}, { consents: [] }, { consents: [ok, nullPrototype, { ...ok, withdrawnAt: granted, expiresAt: new Date('2027-01-01T00:00:00Z') }] }]) {
      expect(check(context).reason).not.toBe('invalid_context');
      expect(validContext(context, declared)).toBe(true);
      expect(validOwnContext(context, declared)).toBe(true);
    }
  });
});
