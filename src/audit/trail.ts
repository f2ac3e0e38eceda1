import { createHash, createHmac, createSecretKey, randomUUID, type KeyObject } from 'node:crypto';
import { iso } from '../rules/iso.js';
import type { CatalogueSpec } from '../catalogue/types.js';
import type { Decision } from '../decision/types.js';
import { canonicalJson } from './canonical.js';
import { AuditError } from './errors.js';
import { toDecisionEvent, type DecisionEvent, type EventStamp } from './event.js';
import type { AuditSink } from './sinks/sink.js';
import type { AuditPolicy, DecisionMeta, DecisionRecorder } from './types.js';

/** Options of `createAuditTrail`. */
export interface AuditTrailOptions {
  /** The catalogue the guard enforces: its version and content hash go in every event. */
  readonly catalogue: CatalogueSpec;
  /** Every event goes to every sink; it is acknowledged when all of them acknowledge it. */
  readonly sinks: readonly AuditSink[];
  /**
   * `strict` (default): a failure is thrown (sync) or rejected (async) to the
   * guard, which denies with `audit_unavailable` under its own strict policy.
   * `best_effort`: failures are counted and reported to `onAuditError`, never passed on.
   */
  readonly policy?: AuditPolicy | undefined;
  /** How long a sink may take to acknowledge an event, in ms. Default 5000. */
  readonly timeoutMs?: number | undefined;
  /** Most events awaiting acknowledgement at once; beyond it, events are refused (strict) or dropped (best effort). Default 10 000. */
  readonly bufferSize?: number | undefined;
  /** Key of the HMAC-SHA-256 of `context.subjectId`. Without it, events hold no reference to the person at all. */
  readonly hmacKey?: string | Uint8Array | KeyObject | undefined;
  /** Names the key in each event (`subjectRefKeyId`), so keys can be rotated. */
  readonly hmacKeyId?: string | undefined;
  /** Told of every failure (in both policies). Default: `console.error`. */
  readonly onAuditError?: ((error: AuditError, event: DecisionEvent | undefined) => void) | undefined;
  /** Time source of `at`. Default `() => new Date()`. */
  readonly clock?: (() => Date) | undefined;
}

/**
 * Counters of a trail. Every event is in exactly one of the last five:
 * `recorded = acknowledged + failed + dropped + refused + pending`.
 */
export interface AuditStats {
  /** Decisions handed to the trail. */
  readonly recorded: number;
  /** Written by every sink. */
  readonly acknowledged: number;
  /** A sink failed, rejected, or missed its timeout (or was still pending at a `close` deadline). */
  readonly failed: number;
  /** Not written because the buffer was full or the trail closed, under `best_effort`: the use went ahead. */
  readonly dropped: number;
  /** Not written because the buffer was full or the trail closed, under `strict`: the use was denied. */
  readonly refused: number;
  /** Awaiting acknowledgement. */
  readonly pending: number;
  /** Per sink: events it acknowledged, failed or timed out on. */
  readonly sinks: readonly { readonly name: string; readonly written: number; readonly failed: number; readonly timedOut: number }[];
}

/**
 * An audit trail: a `DecisionRecorder` to give to `createGuard`, writing one
 * `DecisionEvent` per decision to its sinks.
 *
 * @example
 * const trail = createAuditTrail({ catalogue, sinks: [memorySink()] });
 * const guard = createGuard(catalogue, { recorder: trail });
 */
export interface AuditTrail extends DecisionRecorder {
  /** SHA-256 (hex) of the catalogue's RFC 8785 canonical JSON. */
  readonly catalogueHash: string;
  stats(): AuditStats;
  /** Waits for every pending event and flushes the sinks; rejects with `AuditError('deadline')` after `deadlineMs` (default 5000). */
  flush(deadlineMs?: number): Promise<AuditStats>;
  /** Refuses new events, flushes, and closes the sinks; events still pending at the deadline are counted as failed. */
  close(deadlineMs?: number): Promise<AuditStats>;
}

/**
 * Computes the content hash events carry: SHA-256 of the catalogue's RFC 8785 canonical JSON.
 *
 * @example
 * catalogueHash(defaultCatalogue); // '3f1c…'
 */
export function catalogueHash(catalogue: CatalogueSpec): string {
  return createHash('sha256').update(canonicalJson(catalogue), 'utf8').digest('hex');
}

/**
 * Creates an audit trail over one or more sinks. Synchronous sinks (memory,
 * logger, `jsonlSink` in `sync` mode, SQLite) acknowledge before `record`
 * returns, so even `checkUse` is covered; asynchronous ones are awaited by
 * `checkUseAsync` and the wrappers. Nothing is dropped silently: see `stats()`.
 *
 * @example
 * const trail = createAuditTrail({
 *   catalogue: defaultCatalogue,
 *   sinks: [jsonlSink({ path: 'audit.jsonl' }), loggerSink(pino())],
 *   hmacKey: process.env.AUDIT_HMAC_KEY,
 * });
 */
export function createAuditTrail(options: AuditTrailOptions): AuditTrail {
  const sinks = [...options.sinks];
  const strict = (options.policy ?? 'strict') === 'strict';
  const timeoutMs = options.timeoutMs ?? 5000;
  const bufferSize = options.bufferSize ?? 10_000;
  const clock = options.clock;
  const onAuditError = options.onAuditError ?? defaultOnAuditError;
  const catalogue = { version: String(options.catalogue.version), hash: catalogueHash(options.catalogue) };
  const key = importKey(options.hmacKey);
  const subjectRef = key === undefined ? undefined : (id: string) => createHmac('sha256', key).update(id, 'utf8').digest('hex');
  type SinkTally = { name: string; written: number; failed: number; timedOut: number };
  const perSink: SinkTally[] = sinks.map((s) => ({ name: s.name, written: 0, failed: 0, timedOut: 0 }));
  const counts = { recorded: 0, acknowledged: 0, failed: 0, dropped: 0, refused: 0 };
  /** Events awaiting acknowledgement, in the order recorded, which is also the order of their deadlines. */
  const pending = new Map<string, { event: DecisionEvent; abandon: (error: AuditError) => void; done: Promise<void>; deadline: number; expire: () => void; expired: boolean }>();
  // One timer for all pending events (not one each): it fires at the oldest deadline and re-arms for the next.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const armTimer = (): void => {
    if (timer !== undefined) return;
    for (const entry of pending.values()) {
      if (entry.expired) continue; // its rejection is queued; it leaves `pending` on the next microtask
      timer = setTimeout(sweep, Math.max(1, entry.deadline - Date.now()));
      (timer as { unref?: () => void }).unref?.();
      return;
    }
  };
  const sweep = (): void => {
    timer = undefined;
    const now = Date.now();
    for (const entry of pending.values()) {
      if (entry.deadline > now) break;
      if (!entry.expired) {
        entry.expired = true;
        entry.expire();
      }
    }
    armTimer();
  };
  let seq = 0;
  let closed = false;
  type Ack = { readonly sink: number; readonly ack: Promise<void>; settled: boolean };

  const report = (error: AuditError, event: DecisionEvent | undefined): void => {
    try {
      onAuditError(error, event);
    } catch {
      // a failing hook must not turn a decision into an exception
    }
  };

  /** Not accepted: refused under strict (thrown), dropped under best effort (reported). */
  const turnAway = (event: DecisionEvent, error: AuditError): void => {
    if (strict) counts.refused++;
    else counts.dropped++;
    report(error, event);
    if (strict) throw error;
  };

  const record = (decision: Decision, context: unknown, meta: DecisionMeta, enforced: boolean): void | Promise<void> => {
    counts.recorded++;
    seq++;
    const stamp: EventStamp = {
      decisionId: randomUUID(),
      seq,
      // iso() equals toISOString (property-tested) at a tenth of its cost; an invalid Date still throws, as toISOString does.
      at: iso(clock === undefined ? Date.now() : clock().getTime()),
      catalogue,
      subjectRef,
      subjectRefKeyId: options.hmacKeyId,
    };
    const event = toDecisionEvent(decision, context, meta ?? {}, enforced, stamp);
    if (closed) return turnAway(event, new AuditError('closed', 'the audit trail is closed', { decisionId: event.decisionId }));
    if (pending.size >= bufferSize) {
      return turnAway(event, new AuditError('buffer_full', `the audit buffer is full (${bufferSize} events awaiting acknowledgement)`, { decisionId: event.decisionId }));
    }

    let syncError: AuditError | undefined;
    let acks: Ack[] | undefined;
    for (let i = 0; i < sinks.length; i++) {
      const sink = sinks[i] as AuditSink;
      try {
        const ack = adopt(sink.write(event));
        if (ack === undefined) (perSink[i] as SinkTally).written++;
        else {
          acks ??= [];
          acks.push({ sink: i, ack, settled: false });
        }
      } catch (cause) {
        (perSink[i] as SinkTally).failed++;
        syncError ??= new AuditError('sink_failed', `audit sink ${sink.name} failed to write the event`, { sink: sink.name, decisionId: event.decisionId, cause });
      }
    }

    if (syncError !== undefined) {
      // The event failed the moment a sink threw, whatever the others say later: a strict trail throws now, so even a
      // synchronous checkUse denies when another sink is asynchronous. Their acks are still tallied, per sink.
      for (const entry of acks ?? []) {
        const tally = perSink[entry.sink] as SinkTally;
        entry.ack.then(
          () => void tally.written++,
          () => void tally.failed++,
        );
      }
      counts.failed++;
      report(syncError, event);
      if (strict) throw syncError;
      return;
    }
    if (acks === undefined) {
      counts.acknowledged++;
      return;
    }
    return awaitAcks(event, acks);
  };

  /**
   * Asynchronous acknowledgement: one deferred per event, settled by the last
   * ack, the first failure, or the shared timer; tracked in `pending` until
   * then, so the buffer bounds it and close() can account for it.
   */
  const awaitAcks = (event: DecisionEvent, acks: Ack[]): Promise<void> => {
    let settled = false;
    let succeed!: () => void;
    let fail!: (error: AuditError) => void;
    const outcome = new Promise<void>((resolve, reject) => {
      succeed = resolve;
      fail = reject;
    });
    const settle = (ok: boolean): boolean => {
      if (settled) return false;
      settled = true;
      pending.delete(event.decisionId);
      if (ok) counts.acknowledged++;
      else counts.failed++;
      return true;
    };
    const finish = (error: AuditError | undefined): void => {
      // Only the first outcome counts: a late acknowledgement after close() gave up changes nothing (it was denied and reported).
      if (!settle(error === undefined)) return;
      if (error === undefined) succeed();
      else {
        report(error, event);
        fail(error);
      }
    };
    let remaining = acks.length;
    let failed = false;
    for (const entry of acks) {
      const sink = sinks[entry.sink] as AuditSink;
      const tally = perSink[entry.sink] as SinkTally;
      entry.ack.then(
        () => {
          entry.settled = true;
          tally.written++;
          if (--remaining === 0 && !failed) finish(undefined);
        },
        (cause: unknown) => {
          entry.settled = true;
          tally.failed++;
          if (failed) return;
          failed = true;
          finish(new AuditError('sink_failed', `audit sink ${sink.name} rejected the event`, { sink: sink.name, decisionId: event.decisionId, cause }));
        },
      );
    }
    const expire = (): void => {
      if (failed || settled) return;
      failed = true;
      const late = acks.filter((a) => !a.settled);
      for (const a of late) (perSink[a.sink] as SinkTally).timedOut++;
      const names = late.map((a) => sinks[a.sink]?.name).join(', ');
      finish(new AuditError('timeout', `audit sink ${names} did not acknowledge within ${timeoutMs} ms`, { sink: names, decisionId: event.decisionId }));
    };
    const quiet = outcome.then(undefined, () => undefined);
    pending.set(event.decisionId, { event, abandon: finish, done: quiet, deadline: Date.now() + timeoutMs, expire, expired: false });
    armTimer();
    return strict ? outcome : quiet;
  };

  const stats = (): AuditStats => ({ ...counts, pending: pending.size, sinks: perSink.map((s) => ({ ...s })) });

  const withDeadline = async (work: Promise<unknown>, deadlineMs: number, what: string): Promise<void> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new AuditError('deadline', `${what} did not finish within ${deadlineMs} ms`)), deadlineMs);
    });
    try {
      await Promise.race([work, deadline]);
    } finally {
      clearTimeout(timer);
    }
  };

  const flushAll = async (): Promise<void> => {
    await Promise.all([...pending.values()].map((p) => p.done));
    for (const sink of sinks) await sink.flush?.();
  };

  return {
    catalogueHash: catalogue.hash,
    record,
    stats,
    async flush(deadlineMs = 5000): Promise<AuditStats> {
      await withDeadline(flushAll(), deadlineMs, 'flushing the audit trail');
      return stats();
    },
    async close(deadlineMs = 5000): Promise<AuditStats> {
      closed = true;
      try {
        await withDeadline(
          (async () => {
            await flushAll();
            for (const sink of sinks) await sink.close?.();
          })(),
          deadlineMs,
          'closing the audit trail',
        );
      } finally {
        // What is still unacknowledged now never will be, as far as anyone relying on this trail knows.
        for (const p of [...pending.values()]) p.abandon(new AuditError('deadline', 'the event was still unacknowledged when the trail closed', { decisionId: p.event.decisionId }));
      }
      return stats();
    },
  };
}

/**
 * A sink's asynchronous acknowledgement as a native promise, or undefined if it acknowledged synchronously.
 * `then` is called here, inside the caller's try, so a `then` that throws is a synchronous write failure; and the
 * native promise settles once and never synchronously, even if the thenable calls back at once or twice.
 */
function adopt(value: unknown): Promise<void> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const then: unknown = (value as { then?: unknown }).then;
  if (typeof then !== 'function') return undefined;
  let resolve!: () => void;
  let reject!: (cause: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  then.call(value, resolve, reject);
  return promise;
}

/** The HMAC key as a KeyObject, imported once: an HMAC over a KeyObject skips converting the key on every event (about 10% of its cost). */
function importKey(key: string | Uint8Array | KeyObject | undefined): KeyObject | undefined {
  if (key === undefined) return undefined;
  if (typeof key === 'string') return createSecretKey(Buffer.from(key, 'utf8'));
  if (key instanceof Uint8Array) return createSecretKey(key);
  return key;
}

function defaultOnAuditError(error: AuditError): void {
  console.error(`[purpose-guard] audit: ${error.message}`);
}
