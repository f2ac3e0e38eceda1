/**
 * Near-valid contexts: a valid context with one to three small faults planted
 * (a bad date, a wrong type, an unknown key, a withdrawal before the grant...),
 * or with a value that looks wrong but is valid (a lower-case `t`, a Date from
 * another realm). Mutations are descriptions, applied inside the property, so
 * fast-check never has to inspect a Proxy.
 */
import { createContext, runInContext } from 'node:vm';
import fc from 'fast-check';
import { specMs } from '../reference/decide-spec.js';
import { T0 } from './arbitraries.js';

/** Another realm (as a vm context, an iframe or a worker would give): its Dates fail `instanceof Date`. */
const REALM = createContext();

class SubDate extends Date {}

/** Dates that must be refused, whatever the field. */
export const BAD_DATES: readonly (() => unknown)[] = [
  () => '2026-03-01',
  () => '2026-03-01T12:00:00',
  () => '2024-02-30T00:00:00Z',
  () => '2023-02-29T00:00:00Z',
  () => '2026-04-31T00:00:00Z',
  () => '2026-03-01T24:00:00Z',
  () => '2026-12-31T23:59:60Z',
  () => '2026-03-01T12:00:00+24:00',
  () => '2026-03-01T12:00:00+09:60',
  () => '2026-03-01T12:00:00+0900',
  () => '2026-03-01T12:00:00+09',
  () => '2026-03-01T12:00:00,5Z',
  () => '2026-03-01T12:00:00.1234567890Z',
  () => ' 2026-03-01T12:00:00Z',
  () => '2026-03-01T12:00:00Z ',
  () => '+002026-03-01T12:00:00Z',
  () => '2026-3-1T12:00:00Z',
  () => '2026-03-01T12:00Z',
  () => '2026-03-01T12:00:00.Z',
  () => '２０２６-03-01T12:00:00Z',
  () => 'now',
  () => '',
  () => 1_772_366_400_000,
  () => null,
  () => true,
  () => ({}),
  () => [],
  () => new Date(Number.NaN),
  () => Object.create(Date.prototype) as object,
  () => new Proxy(new Date(0), {}),
  () => Object.assign(new Date(Number.NaN), { getTime: () => 0 }),
  () => ({ getTime: () => 0, valueOf: () => 0 }),
  () => 10n,
];

/** Dates that must be accepted: odd-looking but valid. */
export const GOOD_DATES: readonly (() => unknown)[] = [
  () => new Date(Date.UTC(2026, 2, 1, 12)),
  () => '2026-03-01t12:00:00z',
  () => '2026-03-01 12:00:00Z',
  () => '2024-02-29T00:00:00Z',
  () => '2000-02-29T23:59:59.999999999-23:59',
  () => '0000-01-01T00:00:00Z',
  () => '1970-01-01T00:00:01.001Z',
  () => '9999-12-31T23:59:59.999+23:59',
  () => runInContext('new Date(1772366400000)', REALM) as unknown,
  () => new SubDate(0),
  () => Object.freeze(new Date(0)),
  () => Object.assign(new Date(0), { getTime: () => Number.NaN }),
];

/** Values of the wrong shape for any context field. */
export const WRONG: readonly (() => unknown)[] = [
  () => null,
  () => 1,
  () => 'x',
  () => true,
  () => [],
  () => ({}),
  () => [null],
  () => [1],
  () => ['x'],
  () => [{}],
  // biome-ignore lint/suspicious/noSparseArray: a hole is one of the mutations
  () => [, 'x'],
  () => new Date(0),
  () => new Uint8Array(1),
  () => new Map(),
  () => Object.create(null) as object,
];

const TOP_KEYS = ['now', 'consents', 'objections', 'dataCategories', 'collectedFor', 'relationshipEndedAt', 'exception', 'actor', 'subjectId'] as const;
const UNKNOWN_KEYS = ['foo', 'Now', 'consent', 'purposes', 'grantedat', 'toString', '__proto__', ' now'] as const;
const KEY_VALUES: readonly (() => unknown)[] = [() => undefined, () => 1, () => null, () => 'x', () => ({})];

/** A mutation: which kind, and two numbers that pick the place and the value. */
export interface Mutation {
  readonly kind: number;
  readonly a: number;
  readonly b: number;
}

/** One to three mutations. */
export const mutationsArb: fc.Arbitrary<readonly Mutation[]> = fc.array(
  fc.record({ kind: fc.integer({ min: 0, max: 11 }), a: fc.nat(1000), b: fc.nat(1000) }),
  { minLength: 0, maxLength: 3 },
);

type Rec = Record<string, unknown>;

const pick = <T>(list: readonly T[], n: number): T => list[n % list.length] as T;

function records(ctx: Rec): Rec[] {
  const out: Rec[] = [];
  for (const key of ['consents', 'objections'] as const) {
    const v = ctx[key];
    if (Array.isArray(v)) for (const r of v) if (r !== null && typeof r === 'object' && !Array.isArray(r)) out.push(r as Rec);
  }
  return out;
}

/** Where dates live: [record, key]. */
function dateSlots(ctx: Rec): [Rec, string][] {
  const out: [Rec, string][] = [];
  for (const k of ['now', 'relationshipEndedAt']) out.push([ctx, k]);
  for (const r of records(ctx)) for (const k of ['grantedAt', 'withdrawnAt', 'expiresAt', 'at']) if (k in r || k === 'withdrawnAt' || k === 'expiresAt') out.push([r, k]);
  return out;
}

function defineKey(target: Rec, key: string, value: unknown, how: number): void {
  if (how % 5 === 3) Object.defineProperty(target, key, { value, enumerable: false, configurable: true, writable: true });
  else if (how % 5 === 4) (target as Record<symbol, unknown>)[Symbol.for(key)] = value;
  else Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
}

/**
 * Applies mutations to a (fresh) context; returns the context, which may be replaced entirely.
 *
 * @example
 * const ctx = applyMutations(renderContext(w.context, w.styles), muts, purposes);
 */
export function applyMutations(ctx: Rec, mutations: readonly Mutation[], purposes: readonly string[]): unknown {
  let root: unknown = ctx;
  for (const m of mutations) {
    if (root === null || typeof root !== 'object' || Array.isArray(root)) break;
    const c = root as Rec;
    const recs = records(c);
    const rec = recs.length === 0 ? undefined : pick(recs, m.a);
    switch (m.kind) {
      case 0: {
        const [r, k] = pick(dateSlots(c), m.a);
        r[k] = pick(BAD_DATES, m.b)();
        break;
      }
      case 1: {
        const [r, k] = pick(dateSlots(c), m.a);
        r[k] = pick(GOOD_DATES, m.b)();
        break;
      }
      case 2: {
        const targets: Rec[] = [c, ...recs];
        if (c['exception'] !== null && typeof c['exception'] === 'object') targets.push(c['exception'] as Rec);
        defineKey(pick(targets, m.a), pick(UNKNOWN_KEYS, m.b), pick(KEY_VALUES, m.b >> 3)(), m.b >> 6);
        break;
      }
      case 3:
        c[pick(TOP_KEYS, m.a)] = pick(WRONG, m.b)();
        break;
      case 4:
        if (rec !== undefined) rec['purpose'] = pick<() => unknown>([() => 'undeclared', () => '', () => 1, () => null, () => undefined, () => ` ${purposes[0]}`, () => purposes[m.b % purposes.length]], m.b)();
        break;
      case 5:
        if (rec !== undefined) rec['id'] = pick<() => unknown>([() => 1, () => null, () => undefined, () => '', () => 'c9', () => ['c1']], m.b)();
        break;
      case 6:
        // A withdrawal or expiry before, at or after the grant.
        if (rec !== undefined && 'grantedAt' in rec) {
          const g = specMs(rec['grantedAt']) ?? T0;
          rec[m.a % 2 === 0 ? 'withdrawnAt' : 'expiresAt'] = new Date(g + pick([-1, 0, 1, -86_400_000], m.b));
        }
        break;
      case 7:
        if (rec !== undefined) delete rec[pick(['grantedAt', 'at', 'purpose', 'withdrawnAt'], m.b)];
        break;
      case 8:
        c['exception'] = pick<() => unknown>(
          [
            () => ({ ground: 1, reference: 'x' }),
            () => ({ ground: 'laws_and_regulations' }),
            () => ({ ground: 'laws_and_regulations', reference: 'x', consentImpracticable: 'true' }),
            () => ({ ground: 'laws_and_regulations', reference: 'x', consentImpracticable: null }),
            () => ({ ground: 'laws_and_regulations', reference: 'x', consentImpracticable: undefined }),
            () => ({ ground: 'nope', reference: '' }),
            () => ({ reference: 'x' }),
            () => ({ ground: 'academic_research', reference: 'x', consentImpracticable: false }),
          ],
          m.b,
        )();
        break;
      case 9:
        c['dataCategories'] = pick<() => unknown>([() => ['d1', 1], () => [null], () => ['undeclared'], () => ['d1', 'd1'], () => 'd1', () => [['d1']]], m.b)();
        break;
      case 10:
        c['collectedFor'] = pick<() => unknown>([() => ['undeclared'], () => [1], () => [purposes[0], purposes[0]], () => [], () => [` ${purposes[0]}`], () => purposes[0]], m.b)();
        break;
      case 11:
        root = pick<() => unknown>(
          [
            () => null,
            () => [],
            () => 'x',
            () => 1,
            () => new Date(0),
            () => new Map(),
            () => Object.assign(Object.create(null) as object, c),
            () => Object.freeze({ ...c }),
            () => new Proxy(c, {}),
            () => undefined,
          ],
          m.b,
        )();
        // The replaced root may be frozen or a Proxy: it is the last change.
        return root;
    }
  }
  return root;
}
