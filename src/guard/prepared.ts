/** Prepared contexts: a context read and validated once, for many checks. */
import type { CompiledCatalogue } from '../compile/compile.js';
import { ContextFault, type Scratch, scratch } from './facts.js';
import { readContext } from './read-context.js';

/**
 * A context read and validated once, for many decisions: what a request's
 * scope passes to every repository call under it. It holds a snapshot of the
 * context's facts (later changes to the original do not reach it) or the fault
 * that made it invalid, and the guard it was read for. Unforgeable: only
 * `prepareContext` makes one (the check is a private-field brand).
 */
export class PreparedContextImpl {
  readonly #facts: Scratch | ContextFault;
  readonly #cc: CompiledCatalogue;
  /** Own and enumerable, so a copy keeps it and is refused: see `PreparedContext.prepared`. */
  readonly prepared = true;
  /** Kept readable for the audit trail, which records the actor and a keyed hash of the subject id. */
  readonly actor: string | undefined;
  readonly subjectId: string | undefined;

  constructor(cc: CompiledCatalogue, facts: Scratch | ContextFault, actor: string | undefined, subjectId: string | undefined) {
    this.#cc = cc;
    this.#facts = facts;
    this.actor = actor;
    this.subjectId = subjectId;
    Object.freeze(this);
  }

  static holds(value: object): value is PreparedContextImpl {
    return #facts in value;
  }

  static factsOf(value: PreparedContextImpl): Scratch | ContextFault {
    return value.#facts;
  }

  static catalogueOf(value: PreparedContextImpl): CompiledCatalogue {
    return value.#cc;
  }
}

/**
 * Reads and validates a context once. Never throws: an invalid context becomes
 * a prepared context every decision over which is `invalid_context`.
 *
 * @example
 * const prepared = prepareContext(compiled, { consents, dataCategories: ['contact'] });
 * decide(compiled, clock, 'customer', 'billing', prepared);
 */
export function prepareContext(cc: CompiledCatalogue, context: unknown): PreparedContextImpl {
  if (typeof context === 'object' && context !== null && PreparedContextImpl.holds(context)) {
    return PreparedContextImpl.catalogueOf(context) === cc ? context : new PreparedContextImpl(cc, new ContextFault('context', 'was prepared by another guard'), undefined, undefined);
  }
  const facts = scratch();
  try {
    readContext(cc, context === undefined ? {} : context, facts);
  } catch (error) {
    const fault = error instanceof ContextFault ? error : new ContextFault('context', 'could not be read (a getter or Proxy threw)');
    return new PreparedContextImpl(cc, fault, undefined, undefined);
  }
  // The facts hold only what the rules read (numbers, ids, flags), nothing the caller can still change.
  return new PreparedContextImpl(cc, facts, facts.actor, facts.subjectId);
}
