/**
 * A catalogue with one fault planted is refused, and the CatalogueError names
 * the fault's place: the policy is data, and a wrong policy must fail at load
 * time, never decide.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CatalogueIssue, type CatalogueSpec, safeParseCatalogue } from '../../src/index.js';
import { catalogueSpecArb } from './arbitraries.js';
import { params, TIMEOUT } from './config.js';

// Loosely typed on purpose: the faults write what the types forbid.
// biome-ignore lint/suspicious/noExplicitAny: the fault injector plants values of any type anywhere in a spec
type Spec = { -readonly [K in keyof CatalogueSpec]: any } & Record<string, unknown>;

/** Each fault: plants itself in a copy of the spec and says where the error must point. */
const FAULTS: readonly ((s: Spec, n: number) => readonly (string | number)[])[] = [
  (s) => {
    const sid = Object.keys(s.subjects)[0] as string;
    s.subjects[sid].purposes = { ...s.subjects[sid].purposes, zz: 'text' };
    return ['subjects', sid, 'purposes', 'zz'];
  },
  (s) => {
    s.purposes['qq.rr'] = { title: 'Orphan' };
    return ['purposes', 'qq.rr'];
  },
  (s, n) => {
    const bad = ['Bad', 'a..b', '.a', 'a.', 'a b', 'ä', 'a_b', ''][n % 8] as string;
    s.purposes[bad] = { title: 'Bad id' };
    return ['purposes', bad];
  },
  (s) => {
    const pid = Object.keys(s.purposes)[0] as string;
    s.purposes[pid] = { ...s.purposes[pid], compatibleWith: [pid] };
    return ['purposes', pid, 'compatibleWith'];
  },
  (s) => {
    const pid = Object.keys(s.purposes)[0] as string;
    s.dataCategories = { ...s.dataCategories, dup: { title: 'Dup' } };
    s.purposes[pid] = { ...s.purposes[pid], dataCategories: ['dup', 'dup'] };
    return ['purposes', pid, 'dataCategories'];
  },
  (s) => {
    const pid = Object.keys(s.purposes)[0] as string;
    s.purposes[pid] = { ...s.purposes[pid], dataCategories: ['undeclared'] };
    return ['purposes', pid, 'dataCategories'];
  },
  (s) => {
    const sid = Object.keys(s.subjects)[0] as string;
    s.subjects[sid].prohibited = ['zz'];
    return ['subjects', sid, 'prohibited'];
  },
  (s) => {
    // Prohibiting the root of a granted purpose: the grant would have no effect.
    const sid = Object.keys(s.subjects)[0] as string;
    const pid = Object.keys(s.purposes)[0] as string;
    s.subjects[sid].purposes = { ...s.subjects[sid].purposes, [pid]: 'text' };
    s.subjects[sid].prohibited = [pid.split('.')[0]];
    return ['subjects', sid, 'prohibited'];
  },
  (s, n) => {
    const where = n % 4;
    if (where === 0) s['extra'] = 1;
    else if (where === 1) s.controller = { ...s.controller, Name: 'x' };
    else if (where === 2) s.purposes[Object.keys(s.purposes)[0] as string].requiresconsent = true;
    else s.subjects[Object.keys(s.subjects)[0] as string].retension = {};
    return where === 0 ? [] : where === 1 ? ['controller'] : where === 2 ? ['purposes'] : ['subjects'];
  },
  (s) => {
    s.timeZone = 'Mars/Olympus_Mons';
    return ['timeZone'];
  },
  (s, n) => {
    const sid = Object.keys(s.subjects)[0] as string;
    s.subjects[sid].retention = { duration: [{}, { days: 0 }, { days: -1 }, { days: 1.5 }, { fortnights: 1 }, { days: '1' }][n % 6] };
    return ['subjects', sid, 'retention'];
  },
  (s) => {
    const pid = Object.keys(s.purposes)[0] as string;
    s.purposes[pid] = { ...s.purposes[pid], basis: 'because' };
    return ['purposes', pid, 'basis'];
  },
  (s) => {
    const sid = Object.keys(s.subjects)[0] as string;
    s.subjects[sid].title = '';
    return ['subjects', sid, 'title'];
  },
];

const startsWith = (path: readonly (string | number)[], prefix: readonly (string | number)[]): boolean => prefix.every((p, i) => path[i] === p);

describe('catalogue faults', () => {
  it('a catalogue with one planted fault is refused, with an issue at the fault', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(catalogueSpecArb, fc.nat(FAULTS.length - 1), fc.nat(100), (spec, f, n) => {
        const copy = structuredClone(spec) as Spec;
        const where = (FAULTS[f] as (s: Spec, n: number) => readonly (string | number)[])(copy, n);
        const result = safeParseCatalogue(copy);
        expect(result.success).toBe(false);
        const issues: readonly CatalogueIssue[] = result.error?.issues ?? [];
        expect(issues.some((i) => startsWith(i.path, where)), JSON.stringify({ where, issues })).toBe(true);
      }),
      params(15001),
    );
  });
});
