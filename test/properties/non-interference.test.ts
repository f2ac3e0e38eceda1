/**
 * Non-interference: adding an unrelated subject category, purpose (with a
 * child) or data category to the catalogue, and granting or prohibiting the
 * new purpose for existing subjects, never changes the decision for another pair.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CatalogueSpec, LEGAL_BASES } from '../../src/index.js';
import { defaultWorldArb, renderContext, worldArb } from './arbitraries.js';
import { params, TIMEOUT } from './config.js';
import { core, guardOf } from './helpers.js';

interface Addition {
  readonly basis: (typeof LEGAL_BASES)[number];
  readonly requiresConsent: boolean;
  readonly objectable: boolean;
  readonly specialCare: boolean;
  readonly compatibleWith: number;
  readonly grantTo: number;
  readonly prohibitFor: number;
  readonly newSubjectGrants: readonly number[];
}

const additionArb: fc.Arbitrary<Addition> = fc.record({
  basis: fc.constantFrom(...LEGAL_BASES),
  requiresConsent: fc.boolean(),
  objectable: fc.boolean(),
  specialCare: fc.boolean(),
  compatibleWith: fc.nat(20),
  grantTo: fc.nat(20),
  prohibitFor: fc.nat(20),
  newSubjectGrants: fc.array(fc.nat(20), { maxLength: 3 }),
});

/** The catalogue plus `new-p`, `new-p.child`, data category `new-d` and subject `new-s`. */
function extend(spec: CatalogueSpec, a: Addition): CatalogueSpec {
  const purposes = Object.keys(spec.purposes);
  const subjects = Object.keys(spec.subjects);
  const pick = <T>(list: readonly T[], n: number): T | undefined => (list.length === 0 ? undefined : list[n % list.length]);
  const target = pick(purposes, a.compatibleWith);
  const grantee = pick(subjects, a.grantTo);
  const prohibiter = pick(subjects, a.prohibitFor);
  const newSubjectPurposes = Object.fromEntries(a.newSubjectGrants.map((n) => [pick(purposes, n) as string, 'text']));
  return {
    ...spec,
    dataCategories: { ...spec.dataCategories, 'new-d': { title: 'New', specialCare: a.specialCare } },
    purposes: {
      ...spec.purposes,
      'new-p': {
        title: 'New purpose',
        basis: a.basis,
        requiresConsent: a.requiresConsent,
        objectable: a.objectable,
        dataCategories: ['new-d', ...Object.keys(spec.dataCategories)],
        ...(target === undefined ? {} : { compatibleWith: [target] }),
      },
      'new-p.child': { title: 'New child' },
    },
    subjects: {
      ...Object.fromEntries(
        Object.entries(spec.subjects).map(([id, s]) => [
          id,
          {
            ...s,
            purposes: id === grantee ? { ...s.purposes, 'new-p': 'text' } : s.purposes,
            ...(id === prohibiter && id !== grantee ? { prohibited: [...(s.prohibited ?? []), 'new-p.child'] } : {}),
          },
        ]),
      ),
      'new-s': { title: 'New subject', purposes: { ...newSubjectPurposes, 'new-p': 'text' } },
    },
  };
}

describe('non-interference', () => {
  it('adding unrelated subjects, purposes and data categories never changes another pair\'s decision', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(fc.oneof(worldArb, defaultWorldArb), additionArb, (w, addition) => {
        const context = renderContext(w.context, w.styles);
        const before = guardOf(w.spec, w.clock).checkUse(w.subject, w.purpose, context);
        const after = guardOf(extend(w.spec, addition), w.clock).checkUse(w.subject, w.purpose, context);
        expect(core(after)).toEqual(core(before));
        // Messages list declared ids only for unknown ids; every other message is unchanged too.
        if (before.reason !== 'unknown_subject' && before.reason !== 'unknown_purpose') expect(after.message).toBe(before.message);
      }),
      params(8001),
    );
  });
});
