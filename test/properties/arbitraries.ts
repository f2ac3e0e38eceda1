/**
 * Generators shared by the property and differential suites: small random
 * catalogues (hierarchies, grants, prohibitions, consent and objection flags,
 * data categories, compatibility, retention, time zones) and contexts whose
 * dates cluster on a coarse grid, so that boundaries (a consent expiring exactly
 * at `now`, ±1 ms) come up often.
 */
import fc from 'fast-check';
import { type CatalogueSpec, defaultCatalogue, LEGAL_BASES, type RetentionDuration } from '../../src/index.js';
import { retentionEndSpec } from '../reference/decide-spec.js';

/** Segments chosen so that `a` / `a-b` / `ab` exercise whole-segment matching. */
const SEGMENTS = ['a', 'b', 'a-b', 'ab'] as const;
export const CATEGORY_IDS = ['d1', 'd2', 'd3'] as const;
export const SUBJECT_IDS = ['s1', 's2', 's3'] as const;
export const ZONES = ['UTC', 'Asia/Tokyo', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe'] as const;
export const GROUNDS = [
  'laws_and_regulations',
  'protection_of_life_body_property',
  'public_health_child_welfare',
  'public_authority_cooperation',
  'academic_research',
] as const;

/** Drops `undefined` members so generated documents are also valid JSON. */
export function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** `arb` with probability `present` (0..1), else `undefined`. */
const opt = <T>(arb: fc.Arbitrary<T>, present = 0.5): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: Math.round((1 - present) * 100), arbitrary: fc.constant(undefined) }, { weight: Math.round(present * 100), arbitrary: arb });

const purposeIdsArb: fc.Arbitrary<string[]> = fc
  .uniqueArray(fc.array(fc.constantFrom(...SEGMENTS), { minLength: 1, maxLength: 3 }).map((s) => s.join('.')), { minLength: 1, maxLength: 5 })
  .map((ids) => {
    const all = new Set<string>();
    for (const id of ids) {
      const parts = id.split('.');
      for (let i = 1; i <= parts.length; i++) all.add(parts.slice(0, i).join('.'));
    }
    return [...all];
  })
  .chain((ids) => fc.shuffledSubarray(ids, { minLength: ids.length, maxLength: ids.length }));

const durationArb: fc.Arbitrary<RetentionDuration> = fc.oneof(
  fc.constant({ days: 1 }),
  fc.constant({ months: 1 }),
  fc.constant({ years: 1 }),
  fc.constant({ hours: 36 }),
  fc.constant({ weeks: 1, hours: 2 }),
  fc.record({ months: fc.integer({ min: 0, max: 14 }), days: fc.integer({ min: 1, max: 40 }) }),
);

/**
 * A valid catalogue spec (it passes `parseCatalogue`).
 *
 * @example
 * fc.sample(catalogueSpecArb, 1)[0].purposes;
 */
export const catalogueSpecArb: fc.Arbitrary<CatalogueSpec> = fc
  .record({
    purposes: purposeIdsArb,
    categories: fc.uniqueArray(fc.constantFrom(...CATEGORY_IDS), { minLength: 0, maxLength: 3 }),
    subjects: fc.uniqueArray(fc.constantFrom(...SUBJECT_IDS), { minLength: 1, maxLength: 3 }),
    timeZone: opt(fc.constantFrom(...ZONES), 0.3),
    academic: opt(fc.boolean(), 0.3),
  })
  .chain(({ purposes, categories, subjects, timeZone, academic }) => {
    // Compatibility must be acyclic in the relation the guard applies, where a purpose's data also serves its
    // descendants and a compatibleWith target covers its own: so each purpose lists only purposes after it in an
    // order that puts every purpose after its ancestors (then every such link points forward).
    const order: string[] = [];
    for (const id of purposes) {
      const parts = id.split('.');
      for (let k = 1; k <= parts.length; k++) {
        const q = parts.slice(0, k).join('.');
        if (!order.includes(q)) order.push(q);
      }
    }
    return fc.record({
      dataCategories: fc.tuple(...categories.map((id) => opt(fc.boolean()).map((specialCare) => [id, compact({ title: `Category ${id}`, specialCare })] as const))),
      purposes: fc.tuple(
        ...purposes.map((id) =>
          fc
            .record({
              basis: opt(fc.constantFrom(...LEGAL_BASES), 0.8),
              requiresConsent: opt(fc.boolean(), 0.3),
              objectable: opt(fc.boolean(), 0.4),
              dataCategories: opt(fc.subarray(categories), 0.6),
              // Only later purposes in `order`: compatibility must be acyclic.
              compatibleWith: opt(fc.subarray(order.slice(order.indexOf(id) + 1)), 0.4),
            })
            .map((p) => [id, compact({ title: `Purpose ${id}`, ...p })] as const),
        ),
      ),
      subjects: fc.tuple(
        ...subjects.map((id) =>
          fc
            .record({
              grants: fc.subarray(purposes),
              prohibited: opt(fc.subarray(purposes, { maxLength: Math.min(2, purposes.length) }), 0.3),
              retention: opt(durationArb, 0.3),
            })
            .map(({ grants, prohibited, retention }) => {
              // A prohibition denies the purpose, its descendants and its ancestors: none of them may be granted.
              const allowedProhibitions = prohibited?.filter((x) => !grants.some((g) => g === x || g.startsWith(`${x}.`) || x.startsWith(`${g}.`)));
              return [
                id,
                compact({
                  title: `Subject ${id}`,
                  purposes: Object.fromEntries(grants.map((g) => [g, `Text for ${g}`])),
                  prohibited: allowedProhibitions,
                  retention: retention === undefined ? undefined : { duration: retention },
                }),
              ] as const;
            }),
        ),
      ),
    }).map((parts) =>
      compact({
        version: 'gen',
        timeZone,
        controller: compact({ name: 'Generated Co.', academicResearchInstitution: academic }),
        dataCategories: Object.fromEntries(parts.dataCategories),
        purposes: Object.fromEntries(parts.purposes),
        subjects: Object.fromEntries(parts.subjects),
      }) as CatalogueSpec,
    );
  });

/** 2026-03-01T12:00:00Z: a month of either side crosses DST changes in New York, London and Lord Howe. */
export const T0 = Date.UTC(2026, 2, 1, 12);
const HOUR = 3_600_000;

/** Instants on a coarse grid (so they often coincide), sometimes nudged by ±1 ms. */
export const instantArb: fc.Arbitrary<number> = fc
  .tuple(fc.integer({ min: -6, max: 6 }), fc.constantFrom(HOUR, 12 * HOUR, 24 * HOUR, 24 * 7 * HOUR), fc.constantFrom(0, 0, 0, 1, -1))
  .map(([k, unit, eps]) => T0 + k * unit + eps);

const deltaArb = fc.tuple(fc.integer({ min: 0, max: 6 }), fc.constantFrom(HOUR, 24 * HOUR)).map(([k, unit]) => k * unit);

/** Offsets (minutes) for rendering dates: the same instant, written differently, must decide the same. */
const OFFSETS = [0, 540, -300, 345, -210, 840, -720] as const;

/**
 * Writes an instant as a `Date` or an RFC 3339 string with an offset.
 *
 * @example
 * renderDate(0, 540, 'string'); // '1970-01-01T09:00:00.000+09:00'
 */
export function renderDate(ms: number, offsetMinutes: number, as: 'date' | 'string' | 'lower'): Date | string {
  if (as === 'date') return new Date(ms);
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, -1);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const zone = offsetMinutes === 0 && as === 'lower' ? 'z' : `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return as === 'lower' ? `${local.replace('T', 't')}${zone}` : `${local}${zone}`;
}

/** A style for `renderDate`. */
export const dateStyleArb = fc.tuple(fc.constantFrom(...OFFSETS), fc.constantFrom('date', 'string', 'string', 'lower') as fc.Arbitrary<'date' | 'string' | 'lower'>);


/** An abstract consent (epoch ms), rendered later. */
export interface ConsentGen {
  readonly purpose: string;
  readonly grantedAt: number;
  readonly withdrawnAt?: number | undefined;
  readonly expiresAt?: number | undefined;
  readonly id?: string | undefined;
}

/** An abstract context: every date as epoch ms. */
export interface ContextGen {
  readonly now?: number | undefined;
  readonly consents?: readonly ConsentGen[] | undefined;
  readonly objections?: readonly { readonly purpose: string; readonly at: number }[] | undefined;
  readonly dataCategories?: readonly string[] | undefined;
  readonly collectedFor?: readonly string[] | undefined;
  readonly relationshipEndedAt?: number | undefined;
  readonly exception?: { readonly ground: string; readonly reference: string; readonly consentImpracticable?: boolean | undefined } | undefined;
  readonly actor?: string | undefined;
}

/** A context for this catalogue, dates as epoch ms. */
export function contextGenArb(spec: CatalogueSpec, subject: string, purpose?: string): fc.Arbitrary<ContextGen> {
  const purposes = Object.keys(spec.purposes);
  // Records mostly about the purpose in question or its ancestors, so consent and objection rules fire often.
  const near = purposes.filter((q) => purpose !== undefined && (purpose === q || purpose.startsWith(`${q}.`)));
  const recordPurpose = near.length === 0 ? fc.constantFrom(...purposes) : fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...near) }, { weight: 1, arbitrary: fc.constantFrom(...purposes) });
  const categories = [...Object.keys(spec.dataCategories), 'dx'];
  const consent: fc.Arbitrary<ConsentGen> = fc
    .record({
      purpose: recordPurpose,
      grantedAt: instantArb,
      withdrawn: opt(deltaArb, 0.35),
      expires: opt(deltaArb, 0.35),
      id: opt(fc.constantFrom('c1', 'c2', 'c3'), 0.7),
    })
    .map(({ purpose, grantedAt, withdrawn, expires, id }) =>
      compact({
        purpose,
        grantedAt,
        withdrawnAt: withdrawn === undefined ? undefined : grantedAt + withdrawn,
        expiresAt: expires === undefined ? undefined : grantedAt + expires,
        id,
      }),
    );
  const retention = spec.subjects[subject]?.retention?.duration;
  return fc
    .record({
      now: opt(instantArb, 0.85),
      consents: opt(fc.array(consent, { maxLength: 4 }), 0.75),
      objections: opt(fc.array(fc.record({ purpose: recordPurpose, at: instantArb }), { maxLength: 3 }), 0.4),
      dataCategories: opt(fc.subarray(categories, { maxLength: Math.min(2, categories.length) }), 0.3),
      collectedFor: opt(fc.subarray(purposes, { maxLength: Math.min(2, purposes.length) }), 0.3),
      relationshipEndedAt: opt(instantArb, 0.3),
      exception: opt(
        fc
          .record({
            ground: fc.constantFrom(...GROUNDS, 'bogus'),
            reference: fc.constantFrom('Act No. 57 Art. 1', '', ' '),
            consentImpracticable: opt(fc.boolean(), 0.6),
          })
          .map(compact),
        0.08,
      ),
      actor: opt(fc.constant('svc-1'), 0.2),
      atRetentionEnd: opt(fc.constantFrom(0, 1, -1), 0.3),
    })
    .map(({ atRetentionEnd, ...c }) => {
      // Put `now` exactly at (or 1 ms either side of) the end of retention, sometimes.
      if (atRetentionEnd !== undefined && retention !== undefined && c.relationshipEndedAt !== undefined) {
        return compact({ ...c, now: retentionEndSpec(spec, retention, c.relationshipEndedAt) + atRetentionEnd });
      }
      return compact(c);
    });
}

/** Style choices for rendering each date of a context. */
export const renderStylesArb = fc.array(dateStyleArb, { minLength: 16, maxLength: 16 });

/**
 * Renders an abstract context: each date as a `Date` or a string with some offset.
 *
 * @example
 * renderContext({ now: 0 }, [[540, 'string']]); // { now: '1970-01-01T09:00:00.000+09:00' }
 */
export function renderContext(c: ContextGen, styles: readonly (readonly [number, 'date' | 'string' | 'lower'])[]): Record<string, unknown> {
  let i = 0;
  const d = (ms: number | undefined): Date | string | undefined => {
    if (ms === undefined) return undefined;
    const [o, as] = styles[i++ % styles.length] ?? [0, 'date'];
    return renderDate(ms, o, as);
  };
  return compact({
    now: d(c.now),
    consents: c.consents?.map((x) => compact({ purpose: x.purpose, grantedAt: d(x.grantedAt), withdrawnAt: d(x.withdrawnAt), expiresAt: d(x.expiresAt), id: x.id })),
    objections: c.objections?.map((o) => ({ purpose: o.purpose, at: d(o.at) })),
    dataCategories: c.dataCategories,
    collectedFor: c.collectedFor,
    relationshipEndedAt: d(c.relationshipEndedAt),
    exception: c.exception,
    actor: c.actor,
  });
}

let pool: readonly CatalogueSpec[] | undefined;

/**
 * 1,000 catalogues drawn once per process (seeded): worlds take their catalogue
 * from here, so each is compiled once (guards are cached per catalogue object)
 * and the cases go to calls and contexts. Properties about catalogues themselves
 * (parsing, literal ids) draw fresh ones from `catalogueSpecArb`.
 */
export function cataloguePool(): readonly CatalogueSpec[] {
  pool ??= fc.sample(catalogueSpecArb, { numRuns: 1000, seed: 424_242 });
  return pool;
}

/** A catalogue with a call into it: a subject and purpose (mostly declared), an abstract context, a clock time. */
export interface World {
  readonly spec: CatalogueSpec;
  readonly subject: string;
  readonly purpose: string;
  readonly context: ContextGen;
  readonly styles: readonly (readonly [number, 'date' | 'string' | 'lower'])[];
  readonly clock: number;
}

/**
 * @example
 * fc.assert(fc.property(worldArb, (w) => ...));
 */
export const worldArb: fc.Arbitrary<World> = fc.constantFrom(...cataloguePool()).chain((spec) =>
  fc
    .record({
      subject: fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...Object.keys(spec.subjects)) }, { weight: 1, arbitrary: fc.constantFrom('s9', 'S1', 's1 ') }),
      purpose: fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...Object.keys(spec.purposes)) }, { weight: 1, arbitrary: fc.constantFrom('zz', 'a.zz', 'A', 'a.') }),
    })
    .chain(({ subject, purpose }) =>
      fc.record({
        spec: fc.constant(spec),
        subject: fc.constant(subject),
        purpose: fc.constant(purpose),
        context: contextGenArb(spec, subject, purpose),
        styles: renderStylesArb,
        clock: instantArb,
      }),
    ),
);

/** The default catalogue, printed by name in counterexamples (a symbol key: parseCatalogue never sees it). */
const DEFAULT_SPEC: CatalogueSpec = Object.defineProperty({ ...defaultCatalogue }, fc.toStringMethod, { value: () => 'defaultCatalogue' });

/** Worlds over the default catalogue, for contexts with its real ids. */
export const defaultWorldArb: fc.Arbitrary<World> = fc
  .record({
    subject: fc.constantFrom(...Object.keys(defaultCatalogue.subjects)),
    purpose: fc.constantFrom(...Object.keys(defaultCatalogue.purposes)),
  })
  .chain(({ subject, purpose }) =>
    fc.record({
      spec: fc.constant(DEFAULT_SPEC),
      subject: fc.constant(subject),
      purpose: fc.constant(purpose),
      context: contextGenArb(defaultCatalogue, subject, purpose),
      styles: renderStylesArb,
      clock: instantArb,
    }),
  );
