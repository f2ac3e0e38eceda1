/**
 * Literal ids: any string that differs from a declared id is unknown, however
 * close it looks: white space, case, Unicode normalisation (NFC/NFD/NFKC),
 * look-alike letters (Cyrillic, Greek, full-width), invisible characters,
 * prefixes and extensions, and names every object has (`__proto__`, `constructor`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CatalogueSpec, defaultCatalogue } from '../../src/index.js';
import { catalogueSpecArb, T0 } from './arbitraries.js';
import { params, TIMEOUT } from './config.js';
import { guardOf } from './helpers.js';

/** Latin letters and their look-alikes (Cyrillic, Greek, full-width...). */
const LOOKALIKES: Record<string, readonly string[]> = {
  a: ['а', 'ɑ', 'ａ', 'á'],
  b: ['Ь', 'ｂ', 'ƅ'],
  c: ['с', 'ϲ', 'ｃ'],
  e: ['е', 'ё', 'ｅ', 'é'],
  i: ['і', 'ı', 'ｉ', 'í', 'ⅰ'],
  l: ['ӏ', 'ⅼ', '１', 'ｌ', 'ℓ'],
  m: ['ｍ', 'ⅿ'],
  n: ['ո', 'ｎ', 'ñ'],
  o: ['о', 'ο', '０', 'ｏ', 'ö'],
  p: ['р', 'ρ', 'ｐ'],
  r: ['г', 'ｒ'],
  s: ['ѕ', 'ｓ', 'ś'],
  t: ['т', 'ｔ'],
  u: ['υ', 'ս', 'ｕ', 'ü'],
  x: ['х', 'ｘ'],
  y: ['у', 'ｙ'],
  '-': ['‐', '‑', '–', '－', '﹣', '−'],
  '.': ['．', '。', '․', '·'],
  '1': ['１', 'l', '¹'],
  '2': ['２', '²'],
  d: ['ԁ', 'ｄ'],
  f: ['ｆ', 'ﬀ'],
  g: ['ɡ', 'ｇ'],
  h: ['һ', 'ｈ'],
  k: ['κ', 'ｋ'],
  v: ['ν', 'ｖ'],
  w: ['ԝ', 'ｗ'],
};

const SPACES = [' ', '\t', '\n', '\u00a0', '\u200b', '\u200d', '\ufeff', '\u2028', '\u3000', '\u0301', '\u0000'];

type Variant =
  | { readonly t: 'space'; readonly at: number; readonly ch: number }
  | { readonly t: 'case'; readonly at: number }
  | { readonly t: 'lookalike'; readonly at: number; readonly ch: number }
  | { readonly t: 'normalise'; readonly form: 'NFC' | 'NFD' | 'NFKC' | 'NFKD'; readonly at: number; readonly ch: number }
  | { readonly t: 'prefix'; readonly len: number }
  | { readonly t: 'extend'; readonly with: string };

const variantArb: fc.Arbitrary<Variant> = fc.oneof(
  fc.record({ t: fc.constant('space' as const), at: fc.nat(60), ch: fc.nat(20) }),
  fc.record({ t: fc.constant('case' as const), at: fc.nat(60) }),
  fc.record({ t: fc.constant('lookalike' as const), at: fc.nat(60), ch: fc.nat(10) }),
  fc.record({ t: fc.constant('normalise' as const), form: fc.constantFrom('NFC', 'NFD', 'NFKC', 'NFKD'), at: fc.nat(60), ch: fc.nat(10) }),
  fc.record({ t: fc.constant('prefix' as const), len: fc.nat(60) }),
  fc.record({ t: fc.constant('extend' as const), with: fc.constantFrom('.x', '-export', 's', '.', '..', '/', '*', '%', '.*', '_', '-', '.undefined') }),
);

/**
 * A string that differs from `id`. For `normalise`, a look-alike whose
 * normal form (NFKC often folds full-width letters back to ASCII) is then
 * taken: a guard that normalised would now match.
 */
function vary(id: string, v: Variant): string {
  const at = id.length === 0 ? 0 : v.t === 'prefix' || v.t === 'extend' ? 0 : v.at % id.length;
  switch (v.t) {
    case 'space':
      return v.at % 3 === 0 ? `${SPACES[v.ch % SPACES.length]}${id}` : v.at % 3 === 1 ? `${id}${SPACES[v.ch % SPACES.length]}` : `${id.slice(0, at)}${SPACES[v.ch % SPACES.length]}${id.slice(at)}`;
    case 'case': {
      const upper = id.toUpperCase();
      return v.at % 2 === 0 ? upper : `${id.slice(0, at)}${(id[at] ?? '').toUpperCase()}${id.slice(at + 1)}`;
    }
    case 'lookalike':
    case 'normalise': {
      const idx = [...id].findIndex((c, i) => i >= at && LOOKALIKES[c] !== undefined);
      const i = idx < 0 ? [...id].findIndex((c) => LOOKALIKES[c] !== undefined) : idx;
      if (i < 0) return `${id}\u0301`;
      const alts = LOOKALIKES[id[i] as string] as readonly string[];
      const swapped = `${id.slice(0, i)}${alts[v.ch % alts.length]}${id.slice(i + 1)}`;
      return v.t === 'normalise' ? `${swapped}\u0301`.normalize(v.form) : swapped;
    }
    case 'prefix':
      return id.slice(0, v.len % Math.max(1, id.length));
    case 'extend':
      return `${id}${v.with}`;
  }
}

const SPECIAL = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'length', 'undefined', 'null', '', ' ', '.'];

function checkUnknown(spec: CatalogueSpec, candidate: string, clock: number): void {
  const guard = guardOf(spec, clock);
  const subjects = Object.keys(spec.subjects);
  const purposes = Object.keys(spec.purposes);
  const s0 = subjects[0] as string;
  const p0 = purposes[0] as string;
  const now = new Date(clock).toISOString();
  if (!Object.hasOwn(spec.subjects, candidate)) {
    expect(guard.checkUse(candidate, p0).reason).toBe('unknown_subject');
    expect(guard.checkUse(candidate, p0, { now, exception: { ground: 'laws_and_regulations', reference: 'Act' } }).reason).toBe('unknown_subject');
    expect(guard.permittedPurposes(candidate)).toEqual([]);
  }
  if (!Object.hasOwn(spec.purposes, candidate)) {
    expect(guard.checkUse(s0, candidate).reason).toBe('unknown_purpose');
    expect(guard.checkUse(s0, candidate, { now, exception: { ground: 'laws_and_regulations', reference: 'Act' } }).reason).toBe('unknown_purpose');
    // Records naming an undeclared purpose make the context invalid; they never count.
    expect(guard.checkUse(s0, p0, { now, consents: [{ purpose: candidate, grantedAt: now }] }).reason).toBe('invalid_context');
    expect(guard.checkUse(s0, p0, { now, objections: [{ purpose: candidate, at: now }] }).reason).toBe('invalid_context');
    expect(guard.checkUse(s0, p0, { now, collectedFor: [candidate] }).reason).toBe('invalid_context');
  }
  if (!Object.hasOwn(spec.dataCategories, candidate)) {
    const d = guard.checkUse(s0, p0, { now, dataCategories: [candidate] });
    expect(d.allowed).toBe(false);
    if (d.reason === 'data_category_not_permitted') expect(d.message).toContain('not declared');
  }
}

const defaultIds = [...Object.keys(defaultCatalogue.subjects), ...Object.keys(defaultCatalogue.purposes), ...Object.keys(defaultCatalogue.dataCategories)];

describe('literal ids', () => {
  it('a string that differs from a declared id of the default catalogue is unknown', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(fc.constantFrom(...defaultIds), variantArb, (id, v) => {
        const candidate = vary(id, v);
        fc.pre(candidate !== id);
        checkUnknown(defaultCatalogue, candidate, T0);
      }),
      params(9001),
    );
  });

  it('the same on generated catalogues, and for names every object has', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(catalogueSpecArb, variantArb, fc.nat(), fc.boolean(), (spec, v, n, special) => {
        const ids = [...Object.keys(spec.subjects), ...Object.keys(spec.purposes), ...Object.keys(spec.dataCategories)];
        const candidate = special ? (SPECIAL[n % SPECIAL.length] as string) : vary(ids[n % ids.length] as string, v);
        fc.pre(!ids.includes(candidate) || special);
        checkUnknown(spec, candidate, T0);
      }),
      params(9002),
    );
  });
});
