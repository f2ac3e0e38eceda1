/**
 * Small helpers for the property suites: build a guard for a generated world,
 * check the shape of a Decision, compare decisions.
 */
import { expect } from 'vitest';
import { ALLOW_REASONS, type Catalogue, type CatalogueSpec, createGuard, DENY_REASONS, type Decision, parseCatalogue } from '../../src/index.js';
import { renderContext, type World } from './arbitraries.js';

/** The untyped view of a guard: property tests call it with anything. */
export interface LooseGuard {
  checkUse(subject: unknown, purpose: unknown, context?: unknown): Decision;
  checkUseAsync(subject: unknown, purpose: unknown, context?: unknown): Promise<Decision>;
  assertUse(subject: unknown, purpose: unknown, context?: unknown): Decision;
  permittedPurposes(subject: unknown, context?: unknown): readonly string[];
  prepareContext(context: unknown): object;
}

/**
 * A guard over a generated catalogue; its clock reads `clockMs`.
 *
 * @example
 * const g = guardOf(spec, Date.UTC(2026, 0, 1));
 */
export function guardOf(spec: CatalogueSpec, clockMs: number): LooseGuard {
  clockNow = clockMs;
  let guard = guards.get(spec);
  if (guard === undefined) {
    guard = loose(createGuard(catalogueOf(spec), { clock: () => new Date(clockNow) }));
    guards.set(spec, guard);
  }
  return guard;
}

const catalogues = new WeakMap<CatalogueSpec, Catalogue>();

/**
 * `parseCatalogue(spec)`, once per catalogue object.
 *
 * @example
 * const catalogue = catalogueOf(w.spec);
 */
export function catalogueOf(spec: CatalogueSpec): Catalogue {
  let catalogue = catalogues.get(spec);
  if (catalogue === undefined) {
    catalogue = parseCatalogue(spec);
    catalogues.set(spec, catalogue);
  }
  return catalogue;
}

// Guards are cached per catalogue object (the default catalogue is compiled once); the clock reads the latest time set.
const guards = new WeakMap<CatalogueSpec, LooseGuard>();
let clockNow = 0;

/**
 * @example
 * loose(createGuard(defaultCatalogue)).checkUse(42, null);
 */
export function loose(guard: object): LooseGuard {
  return guard as unknown as LooseGuard;
}

/**
 * The guard and rendered context of a world.
 *
 * @example
 * const { guard, context } = build(world);
 */
export function build(w: World): { guard: LooseGuard; context: Record<string, unknown> } {
  return { guard: guardOf(w.spec, w.clock), context: renderContext(w.context, w.styles) };
}

const REASONS = new Set<string>([...ALLOW_REASONS, ...DENY_REASONS]);

/**
 * Whether a value is a well-formed Decision. Returns a problem or `undefined`.
 * (Which decisions are frozen is `ownership.test.ts`'s question: those the guard shares.)
 *
 * @example
 * expect(problemWithDecision(d)).toBeUndefined();
 */
export function problemWithDecision(d: unknown): string | undefined {
  if (typeof d !== 'object' || d === null) return 'not an object';
  const x = d as Record<string, unknown>;
  if (typeof x['allowed'] !== 'boolean') return 'allowed is not a boolean';
  if (typeof x['reason'] !== 'string' || !REASONS.has(x['reason'])) return `unknown reason ${String(x['reason'])}`;
  if ((x['allowed'] === true) !== (ALLOW_REASONS as readonly string[]).includes(x['reason'])) return 'allowed does not match reason';
  for (const k of ['subject', 'purpose', 'rule', 'step', 'message']) if (typeof x[k] !== 'string') return `${k} is not a string`;
  if ((x['message'] as string).length === 0) return 'empty message';
  if (!Array.isArray(x['law'])) return 'law is not an array';
  return undefined;
}

/**
 * Asserts `d` is a Decision.
 *
 * @example
 * expectDecision(guard.checkUse(x, y, z));
 */
export function expectDecision(d: unknown): asserts d is Decision {
  expect(problemWithDecision(d)).toBeUndefined();
}

/**
 * The parts of a decision that do not depend on how the catalogue is written
 * (messages list declared ids in catalogue order; a prohibition's rule names its index).
 *
 * @example
 * expect(core(a)).toEqual(core(b));
 */
export function core(d: Decision): Record<string, unknown> {
  const x = d as unknown as Record<string, unknown>;
  return {
    allowed: d.allowed,
    reason: d.reason,
    step: d.step,
    subject: d.subject,
    purpose: d.purpose,
    rule: d.reason === 'purpose_prohibited' ? 'prohibited' : d.rule,
    basis: x['basis'],
    consentId: x['consentId'],
    exception: x['exception'],
    field: x['field'],
    record: x['record'],
  };
}

/**
 * Every own property of the shared prototypes, with its descriptor.
 *
 * @example
 * expect(prototypeSnapshot()).toEqual(before);
 */
export function prototypeSnapshot(): unknown {
  const of = (o: object): [string | symbol, PropertyDescriptor | undefined][] => Reflect.ownKeys(o).map((k) => [k, Object.getOwnPropertyDescriptor(o, k)]);
  return [of(Object.prototype), of(Array.prototype), of(Function.prototype), of(Date.prototype), of(String.prototype)];
}
