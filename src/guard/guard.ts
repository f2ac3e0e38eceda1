import type { AuditPolicy, DecisionMeta, DecisionRecorder, GuardMode } from '../audit/types.js';
import type { Catalogue, CatalogueSpec, PurposeOf, SubjectOf } from '../catalogue/types.js';
import { compileCatalogue, denyOf } from '../compile/compile.js';
import { PurposeViolationError } from '../decision/error.js';
import { sealForRecord } from '../decision/seal.js';
import type { Decision, DenyDecision, MonitoredDecision, UseGrant } from '../decision/types.js';
import { isPlainRecord, type UseContext } from '../rules/context.js';
import { decide, prepareContext } from './decide.js';
import type { ContextBound, ContextInputBound, PermittedPurpose, PreparedContext, PurposeArg, SubjectArg } from './types.js';
import { ownField } from '../rules/own.js';

/** The context type when a check is given none. */
type NoContext = Record<never, never>;

/** Options of `createGuard`. */
export interface GuardOptions {
  /** The decision time when the context has no `now`: a `Date` or epoch milliseconds. Read at most once per decision. Default `Date.now`. */
  readonly clock?: (() => Date | number) | undefined;
  /** `enforce` (default) or `monitor`: allow what would be denied, and record it, to roll the guard out safely. */
  readonly mode?: GuardMode | undefined;
  /** Receives every decision (see `createAuditTrail` in `purpose-guard/audit`). */
  readonly recorder?: DecisionRecorder | undefined;
  /** What an audit failure does; default `strict` (deny with `audit_unavailable`). */
  readonly auditPolicy?: AuditPolicy | undefined;
  /** Told of every audit failure that did not deny. Default: `console.error`. Never a silent drop. */
  readonly onAuditError?: ((error: unknown, decision: Decision) => void) | undefined;
}

/**
 * A compiled guard over one catalogue.
 *
 * @example
 * const guard = createGuard(defaultCatalogue);
 * guard.checkUse('customer', 'billing').allowed; // true
 */
export interface Guard<C extends CatalogueSpec = CatalogueSpec> {
  readonly catalogue: Catalogue<C>;
  readonly mode: GuardMode;
  /**
   * Decides whether data on this subject category may be used for this purpose now. Never throws.
   * The decision is frozen when the guard may return it again; one that cites something of this
   * call (a consent id, a record, an exception) is yours alone, and is frozen before a recorder sees it.
   *
   * `meta` (the operation and method, for a wrapper's record) goes to the audit record only.
   *
   * @example
   * const d = guard.checkUse('customer', 'marketing.notifications', { consents });
   * if (!d.allowed) log.info(d.reason, d.message);
   */
  checkUse<const S extends string, const P extends string, const X extends ContextBound<C, X> = NoContext>(
    subject: SubjectArg<C, S>,
    purpose: PurposeArg<C, S, P>,
    context?: X,
    meta?: DecisionMeta,
  ): Decision<S, P>;
  /**
   * Like `checkUse`, but resolves only once the decision's audit record is
   * acknowledged; under the strict audit policy a failed record is an
   * `audit_unavailable` deny. Use it before touching data. Never rejects.
   *
   * @example
   * const d = await guard.checkUseAsync('customer', 'billing', ctx, { operation: 'read', method: 'Invoices.list' });
   */
  checkUseAsync<const S extends string, const P extends string, const X extends ContextBound<C, X> = NoContext>(
    subject: SubjectArg<C, S>,
    purpose: PurposeArg<C, S, P>,
    context?: X,
    meta?: DecisionMeta,
  ): Promise<Decision<S, P>>;
  /**
   * Like `checkUse`, but returns the allow as a typed grant (branded with this guard's catalogue) or throws `PurposeViolationError`.
   *
   * @example
   * const grant = guard.assertUse('customer', 'billing');
   */
  assertUse<const S extends string, const P extends string, const X extends ContextBound<C, X> = NoContext>(
    subject: SubjectArg<C, S>,
    purpose: PurposeArg<C, S, P>,
    context?: X,
    meta?: DecisionMeta,
  ): UseGrant<S, P, C>;
  /**
   * Records a decision taken outside `checkUse` by a wrapper (a repository call
   * with no purpose in scope, a method the spec does not list), so the audit
   * trail holds every decision. Never rejects: a failure goes to `onAuditError`.
   * The decision is frozen (with what it holds) before the recorder receives it.
   *
   * @example
   * await guard.record(noPurposeInScope('customer', 'Customers.findById'), undefined, { method: 'Customers.findById' });
   */
  record(decision: Decision, context?: unknown, meta?: DecisionMeta): Promise<void>;
  /**
   * The purposes `checkUse` allows for this subject category with this context,
   * in catalogue order. Not recorded: it answers a question, it touches no data.
   *
   * @example
   * guard.permittedPurposes('applicant'); // ['recruitment.communication', 'recruitment.administration']
   */
  permittedPurposes<const S extends string, const X extends ContextBound<C, X> = NoContext>(subject: SubjectArg<C, S>, context?: X): readonly PermittedPurpose<C, S>[];
  /**
   * Reads and validates a context once, for many checks: a request's scope,
   * reused by every repository call under it. Checks over it skip the reading
   * (the hot path becomes lookups). Never throws: an invalid context prepares
   * into one every check over which is `invalid_context`.
   *
   * @example
   * const ctx = guard.prepareContext({ consents, dataCategories: ['contact'], actor: 'svc-mail' });
   * for (const p of ['marketing.notifications', 'marketing.surveys'] as const) guard.checkUse('customer', p, ctx);
   */
  prepareContext<const X extends ContextInputBound<C, X>>(context: X): PreparedContext<C>;
}

/**
 * Any guard, whatever its catalogue: accept it in code that works with every
 * catalogue (wrappers, adapters, tests). Every `Guard<C>` is assignable to it;
 * its methods take plain strings, so the compile-time checks stay with `Guard<C>`.
 *
 * @example
 * function auditedRepository(guard: AnyGuard) { ... }
 * auditedRepository(createGuard(defaultCatalogue));
 */
export interface AnyGuard {
  readonly catalogue: Catalogue;
  readonly mode: GuardMode;
  checkUse(subject: string, purpose: string, context?: UseContext | PreparedContext, meta?: DecisionMeta): Decision;
  checkUseAsync(subject: string, purpose: string, context?: UseContext | PreparedContext, meta?: DecisionMeta): Promise<Decision>;
  assertUse(subject: string, purpose: string, context?: UseContext | PreparedContext, meta?: DecisionMeta): UseGrant<string, string, CatalogueSpec>;
  record(decision: Decision, context?: unknown, meta?: DecisionMeta): Promise<void>;
  permittedPurposes(subject: string, context?: UseContext | PreparedContext): readonly string[];
  prepareContext(context: UseContext): PreparedContext;
}

/**
 * Compiles a catalogue into a guard. Do it once, at start-up: every check is then a lookup.
 *
 * @example
 * const guard = createGuard(defineCatalogue({ ... }), { clock: () => new Date() });
 */
export function createGuard<const C extends CatalogueSpec>(catalogue: Catalogue<C>, options: GuardOptions = {}): Guard<C> {
  // A plain object: options on a class's getters or an Object.create(defaults) would be dropped by the own-fields
  // reading below, a recorder with them, and the audit trail would miss every decision without a word.
  if (typeof options !== 'object' || options === null || !isPlainRecord(options)) {
    throw new TypeError('createGuard: options must be a plain object (an object literal); copy the fields of a class instance or of Object.create(defaults) into one');
  }
  const compiled = compileCatalogue(catalogue);
  // Own fields only: a left-out option must not be read from a polluted Object.prototype (a planted `mode: 'monitor'` would allow every deny).
  const option = <K extends keyof GuardOptions>(key: K): GuardOptions[K] => ownField(options, key) as GuardOptions[K];
  const clock: () => unknown = option('clock') ?? Date.now;
  const mode: GuardMode = option('mode') ?? 'enforce';
  const recorder = option('recorder');
  const strict = (option('auditPolicy') ?? 'strict') === 'strict';
  const onAuditError = option('onAuditError') ?? defaultOnAuditError;
  const plain = recorder === undefined && mode === 'enforce';

  const reportAuditError = (error: unknown, decision: Decision): void => {
    try {
      onAuditError(error, decision);
    } catch {
      // the hook's own failure must not turn a decision into an exception
    }
  };
  const applyMode = (decision: Decision): Decision => (mode === 'monitor' && !decision.allowed ? monitored(decision) : decision);

  /** Records synchronously; an asynchronous acknowledgement that fails later is reported, never dropped. */
  const settle = (decision: Decision, context: unknown, via: string, meta: DecisionMeta | undefined): Decision => {
    if (recorder !== undefined) {
      try {
        const ack = recorder.record(sealForRecord(decision), context, meta === undefined ? { via } : { via, ...meta }, mode === 'enforce');
        if (ack !== undefined) Promise.resolve(ack).then(undefined, (error: unknown) => reportAuditError(error, decision));
      } catch (error) {
        if (strict) return auditUnavailable(decision, error);
        reportAuditError(error, decision);
      }
    }
    return applyMode(decision);
  };

  const checkUse = (subject: unknown, purpose: unknown, context?: unknown, meta?: DecisionMeta): Decision => {
    const decision = decide(compiled, clock, subject, purpose, context);
    return plain ? decision : settle(decision, context, 'checkUse', meta);
  };
  const checkUseAsync = async (subject: unknown, purpose: unknown, context?: unknown, meta?: DecisionMeta): Promise<Decision> => {
    const decision = decide(compiled, clock, subject, purpose, context);
    if (recorder !== undefined) {
      try {
        await recorder.record(sealForRecord(decision), context, { via: 'checkUseAsync', ...meta }, mode === 'enforce');
      } catch (error) {
        if (strict) return auditUnavailable(decision, error);
        reportAuditError(error, decision);
      }
    }
    return applyMode(decision);
  };
  const assertUse = (subject: unknown, purpose: unknown, context?: unknown, meta?: DecisionMeta): Decision => {
    const decision = decide(compiled, clock, subject, purpose, context);
    const final = plain ? decision : settle(decision, context, 'assertUse', meta);
    if (!final.allowed) throw new PurposeViolationError(final);
    return final;
  };
  const record = async (decision: Decision, context?: unknown, meta?: DecisionMeta): Promise<void> => {
    if (recorder === undefined) return;
    try {
      await recorder.record(sealForRecord(decision), context, { via: 'wrapper', ...meta }, mode === 'enforce');
    } catch (error) {
      reportAuditError(error, decision);
    }
  };
  const permittedPurposes = (subject: unknown, context?: unknown): string[] => {
    const out: string[] = [];
    // One instant for the whole answer: the clock is read at most once, not once per purpose.
    let instant: unknown;
    let read = false;
    const once = (): unknown => {
      if (!read) {
        read = true;
        instant = clock();
      }
      return instant;
    };
    // The context is read once, as one check reads it, not once per purpose: a getter answers once for the whole list.
    const facts = context === undefined ? undefined : prepareContext(compiled, context);
    for (const purpose of compiled.purposes.keys()) if (decide(compiled, once, subject, purpose, facts).allowed) out.push(purpose);
    return out;
  };
  const prepare = (context: unknown): unknown => prepareContext(compiled, context);
  return Object.freeze({ catalogue, mode, checkUse, checkUseAsync, assertUse, record, permittedPurposes, prepareContext: prepare }) as unknown as Guard<C>;
}

function monitored(denied: DenyDecision): MonitoredDecision {
  return Object.freeze({
    allowed: true,
    reason: 'monitored',
    subject: denied.subject,
    purpose: denied.purpose,
    rule: denied.rule,
    step: denied.step,
    law: denied.law,
    message: `Monitor mode: allowed, but an enforcing guard would deny [${denied.reason}]: ${denied.message}`,
    denied,
  });
}

function auditUnavailable(decision: Decision, error: unknown): DenyDecision {
  let why = 'the audit sink failed';
  try {
    if (error instanceof Error) why = `the audit sink failed (${error.name})`;
  } catch {
    // keep the generic text
  }
  return denyOf({ id: decision.subject }, { id: decision.purpose }, 'audit_unavailable', 'audit', 'audit',
    `The decision could not be recorded (${why}), and the audit policy is strict, so the data must not be touched.`);
}

function defaultOnAuditError(error: unknown, decision: Decision): void {
  console.error(`[purpose-guard] audit record failed for ${decision.subject}/${decision.purpose} (${decision.reason}):`, error);
}

/** The subject-category ids of a guard's catalogue. */
export type GuardSubject<G extends Guard<CatalogueSpec>> = G extends Guard<infer C> ? SubjectOf<C> : never;
/** The purpose ids of a guard's catalogue. */
export type GuardPurpose<G extends Guard<CatalogueSpec>> = G extends Guard<infer C> ? PurposeOf<C> : never;
