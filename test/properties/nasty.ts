/**
 * Adversarial values: what an HTTP header, a JSON body or a buggy caller can
 * hand to the guard. Each factory builds a fresh value, so a test that is
 * mutated by one run cannot poison the next.
 */
import { createContext, runInContext } from 'node:vm';
import fc from 'fast-check';

/** Another realm (as a vm context, an iframe or a worker would give): its Dates fail `instanceof Date`. */
const REALM = createContext();

const boom = (): never => {
  throw new Error('boom');
};

/** Every Proxy trap throws. */
function hostileProxy(target: object): object {
  return new Proxy(target, {
    get: boom,
    has: boom,
    ownKeys: boom,
    getOwnPropertyDescriptor: boom,
    getPrototypeOf: boom,
    defineProperty: boom,
    set: boom,
    deleteProperty: boom,
  });
}

function revoked(target: object): object {
  const r = Proxy.revocable(target, {});
  r.revoke();
  return r.proxy;
}

function throwingGetters(keys: readonly string[]): object {
  const o = {};
  for (const k of keys) Object.defineProperty(o, k, { get: boom, enumerable: true });
  return o;
}

/** A getter that answers differently each time it is read (a time-of-check/time-of-use trap). */
function flipping(key: string, first: unknown, then: unknown): object {
  let n = 0;
  return Object.defineProperty({}, key, { get: () => (n++ === 0 ? first : then), enumerable: true });
}

function cyclic(): object {
  const o: Record<string, unknown> = { consents: [] };
  (o['consents'] as unknown[]).push(o);
  o['exception'] = o;
  return o;
}

function nullProto(entries: Record<string, unknown>): object {
  return Object.assign(Object.create(null) as object, entries);
}

/** Values with a hostile `toString`/`valueOf`, to catch code that coerces ids. */
const coercing = (): object => ({ toString: () => 'billing', valueOf: () => 'billing', [Symbol.toPrimitive]: () => 'customer' });
const throwingCoercion = (): object => ({ toString: boom, valueOf: boom, [Symbol.toPrimitive]: boom });

/** Factories of hostile values that `fc.anything()` does not make. */
export const HOSTILE: readonly (() => unknown)[] = [
  () => hostileProxy({}),
  () => hostileProxy([]),
  () => hostileProxy(new Date(0)),
  () => revoked({}),
  () => revoked([]),
  () => revoked(() => 1),
  () => throwingGetters(['now']),
  () => throwingGetters(['consents', 'objections']),
  () => throwingGetters(['purpose', 'grantedAt']),
  () => throwingGetters(['ground', 'reference']),
  () => cyclic(),
  () => nullProto({ now: '2026-01-01T00:00:00Z' }),
  () => nullProto({ purpose: 'billing', grantedAt: '2026-01-01T00:00:00Z' }),
  () => coercing(),
  () => throwingCoercion(),
  () => flipping('now', '2026-01-01T00:00:00Z', 42),
  () => flipping('consents', [], null),
  () => Object.create({ now: '2026-01-01T00:00:00Z', exception: { ground: 'laws_and_regulations', reference: 'x' } }) as object,
  () => runInContext('new Date(0)', REALM) as unknown,
  () => runInContext('({ now: new Date(0) })', REALM) as unknown,
  () => new Date(Number.NaN),
  () => Object.create(Date.prototype) as object,
  () => Object.assign(new Date(Number.NaN), { getTime: () => 0 }),
  // biome-ignore lint/suspicious/noSparseArray: a hole is one of the nasty values
  () => [1, , 3],
  () => new Array(5),
  () => Symbol('x'),
  () => 10n,
  () => 'x'.repeat(1 << 16),
  () => new Map([['now', new Date(0)]]),
  () => new Set(['billing']),
  () => new Uint8Array(4),
  () => Promise.resolve({}),
  () => new (class Ctx {
    now = new Date(0);
  })(),
  () => function now() {},
  () => Object.freeze({ consents: Object.freeze([Object.freeze({ purpose: '__proto__', grantedAt: new Date(0) })]) }),
  () => JSON.parse('{"__proto__": {"exception": {"ground": "laws_and_regulations", "reference": "x"}}}') as unknown,
  () => JSON.parse('{"consents": [{"__proto__": {"purpose": "billing"}, "grantedAt": "2026-01-01T00:00:00Z"}]}') as unknown,
];

/**
 * A recipe for an input. fast-check inspects generated values (and a revoked
 * Proxy throws when inspected), so hostile values are built from the recipe
 * inside the property, fresh for every run.
 */
export type Recipe =
  | { readonly t: 'value'; readonly v: unknown }
  | { readonly t: 'hostile'; readonly i: number }
  | { readonly t: 'object'; readonly e: readonly (readonly [string, Recipe])[] }
  | { readonly t: 'array'; readonly e: readonly Recipe[] };

/**
 * Builds the input a recipe describes.
 *
 * @example
 * realise({ t: 'hostile', i: 3 }); // a revoked Proxy
 */
export function realise(r: Recipe): unknown {
  switch (r.t) {
    case 'value':
      return r.v;
    case 'hostile':
      return (HOSTILE[r.i] as () => unknown)();
    case 'object':
      return Object.fromEntries(r.e.map(([k, v]) => [k, realise(v)]));
    case 'array':
      return r.e.map(realise);
  }
}

/** One hostile value, as a recipe. */
export const hostileArb: fc.Arbitrary<Recipe> = fc.integer({ min: 0, max: HOSTILE.length - 1 }).map((i) => ({ t: 'hostile', i }) as const);

const anything = fc.anything({
  withNullPrototype: true,
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withDate: true,
  withBigInt: true,
  key: fc.constantFrom('now', 'consents', 'purpose', 'grantedAt', 'at', 'exception', 'ground', 'reference', '__proto__', 'constructor', 'x'),
});

const value = (arb: fc.Arbitrary<unknown>): fc.Arbitrary<Recipe> => arb.map((v) => ({ t: 'value', v }) as const);

/** A leaf: anything, a hostile value, or a plausible id or date. */
export const leafArb: fc.Arbitrary<Recipe> = fc.oneof(
  { weight: 3, arbitrary: value(anything) },
  { weight: 2, arbitrary: hostileArb },
  {
    weight: 1,
    arbitrary: value(fc.constantFrom('customer', 'billing', 'marketing', 'marketing.analytics', 'health', '2026-01-01T00:00:00Z', '__proto__', 'constructor')),
  },
);

const CONTEXT_KEYS = ['now', 'consents', 'objections', 'dataCategories', 'collectedFor', 'relationshipEndedAt', 'exception', 'actor', 'subjectId', 'Now', 'consent'];
const RECORD_KEYS = ['purpose', 'grantedAt', 'withdrawnAt', 'expiresAt', 'id', 'at', 'ground', 'reference', 'consentImpracticable'];

const objectOf = (keys: readonly string[], v: fc.Arbitrary<Recipe>): fc.Arbitrary<Recipe> =>
  fc.uniqueArray(fc.tuple(fc.constantFrom(...keys), v), { maxLength: 4, selector: ([k]) => k }).map((e) => ({ t: 'object', e }) as const);
const arrayOf = (v: fc.Arbitrary<Recipe>): fc.Arbitrary<Recipe> => fc.array(v, { maxLength: 3 }).map((e) => ({ t: 'array', e }) as const);

/** Context-shaped input with hostile values at every depth. */
export const hostileContextArb: fc.Arbitrary<Recipe> = fc.oneof(
  leafArb,
  objectOf(CONTEXT_KEYS, leafArb),
  objectOf(CONTEXT_KEYS, fc.oneof(leafArb, arrayOf(fc.oneof(leafArb, objectOf(RECORD_KEYS, leafArb))))),
);
