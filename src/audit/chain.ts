import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical.js';
import type { DecisionEvent } from './event.js';

/**
 * The `prev` of a log's first record: 32 zero bytes, in hex.
 *
 * @example
 * chainHash(firstEvent, GENESIS_HASH);
 */
export const GENESIS_HASH = '0'.repeat(64);

const HEX64 = /^[0-9a-f]{64}$/;

/** Closes a session of a hash-chained log, so a cut-off tail is visible (see `verifyAuditLog`). */
export interface SealBody {
  /** When the session was closed, ISO 8601 UTC. */
  readonly at: string;
  /** Records this session appended before the seal. */
  readonly records: number;
}

/** One link of a hash-chained log, as stored (a JSON Lines line, an SQLite row). */
export type ChainRecord =
  | { readonly event: DecisionEvent; readonly prev: string; readonly hash: string }
  | { readonly seal: SealBody; readonly prev: string; readonly hash: string };

/**
 * `hash_i = SHA-256(canonical(body_i) || hash_{i-1})`: the UTF-8 bytes of the
 * body's RFC 8785 form followed by the 32 bytes of the previous hash; hex out.
 *
 * @example
 * const h0 = chainHash(event, GENESIS_HASH);
 */
export function chainHash(body: unknown, prev: string): string {
  return chainHashOf(canonicalJson(body), prev);
}

/**
 * `chainHash` for a body already in canonical form (writers serialise once and reuse the text).
 *
 * @example
 * const text = canonicalJson(event);
 * const hash = chainHashOf(text, prev);
 */
export function chainHashOf(canonicalBody: string, prev: string): string {
  return createHash('sha256').update(canonicalBody, 'utf8').update(Buffer.from(prev, 'hex')).digest('hex');
}

/**
 * The stored form of a record: `{"<kind>":<body>,"hash":"…","prev":"…"}`, which
 * is the RFC 8785 form of the whole record (the keys are already in order).
 *
 * @example
 * const { line, hash } = linkRecord('event', event, prev);
 */
export function linkRecord(kind: 'event' | 'seal', body: unknown, prev: string): { readonly text: string; readonly body: string; readonly hash: string } {
  const canonical = canonicalJson(body);
  const hash = chainHashOf(canonical, prev);
  // "event" and "seal" sort against "hash" and "prev" as RFC 8785 requires: event < hash < prev < seal.
  const text = kind === 'event' ? `{"event":${canonical},"hash":"${hash}","prev":"${prev}"}` : `{"hash":"${hash}","prev":"${prev}","seal":${canonical}}`;
  return { text, body: canonical, hash };
}

/**
 * Whether a string is a lower-case hex SHA-256.
 *
 * @example
 * isHash('0'.repeat(64)); // true
 */
export function isHash(value: unknown): value is string {
  return typeof value === 'string' && HEX64.test(value);
}

/** Why a chain is broken at a record. */
export type ChainBreak =
  | 'unreadable'
  | 'malformed'
  | 'prev_mismatch'
  | 'hash_mismatch'
  | 'missing'
  | 'column_mismatch'
  | 'head_mismatch'
  | 'unsealed';

/**
 * The result of verifying a hash-chained audit log.
 *
 * @example
 * const r = verifyAuditLog('audit.jsonl');
 * if (!r.intact) console.error(`broken at record ${r.broken.index}: ${r.broken.message}`);
 */
export type VerifyResult =
  | {
      readonly intact: true;
      /** Records checked (events and seals). */
      readonly records: number;
      readonly events: number;
      /** The last record's hash: publish it elsewhere to detect a rewritten or cut tail later. */
      readonly head: string;
      /** Whether the last record is a seal (the writer closed the log). */
      readonly sealed: boolean;
    }
  | {
      readonly intact: false;
      readonly records: number;
      readonly events: number;
      readonly head: string;
      readonly sealed: boolean;
      /** The first record that does not verify: 0-based index (the line number minus one in a file). */
      readonly broken: { readonly index: number; readonly reason: ChainBreak; readonly message: string };
    };

/** Options of the verifiers. */
export interface VerifyOptions {
  /** The head hash published earlier (or now expected): a mismatch is a broken log at its last record. */
  readonly expectedHead?: string | undefined;
  /** Treat a log whose last record is not a seal as broken (use it for logs that were closed). */
  readonly requireSeal?: boolean | undefined;
}

/**
 * Walks a chain and reports the first record that does not verify. Stores
 * feed it records already parsed, or a problem for one that could not be.
 *
 * @example
 * const v = new ChainVerifier();
 * for (const line of lines) if (!v.next(JSON.parse(line))) break;
 * v.result({ requireSeal: true });
 */
export class ChainVerifier {
  private prev: string;
  private index = 0;
  private events = 0;
  private sealed = false;
  private failure: { index: number; reason: ChainBreak; message: string } | undefined;

  /** @param start The hash the first record must follow: the genesis hash for a whole log. */
  constructor(start: string = GENESIS_HASH) {
    this.prev = start;
  }

  /** Returns false once the chain is broken (stop feeding it). */
  next(record: unknown, problem?: { reason: ChainBreak; message: string }): boolean {
    if (this.failure !== undefined) return false;
    const i = this.index;
    if (problem !== undefined) return this.fail(i, problem.reason, problem.message);
    const parsed = readRecord(record);
    if (typeof parsed === 'string') return this.fail(i, 'malformed', parsed);
    if (parsed.prev !== this.prev) {
      return this.fail(i, 'prev_mismatch', `record ${i} does not follow record ${i - 1}: it was edited, inserted, moved, or its predecessor deleted`);
    }
    let expected: string;
    try {
      expected = chainHash(parsed.body, parsed.prev);
    } catch (error) {
      return this.fail(i, 'malformed', `record ${i} cannot be canonicalised: ${(error as Error).message}`);
    }
    if (expected !== parsed.hash) return this.fail(i, 'hash_mismatch', `record ${i} was edited: its content does not match its hash`);
    this.prev = parsed.hash;
    this.sealed = parsed.kind === 'seal';
    if (parsed.kind === 'event') this.events++;
    this.index++;
    return true;
  }

  result(options: VerifyOptions = {}): VerifyResult {
    const base = { records: this.index, events: this.events, head: this.prev, sealed: this.sealed };
    if (this.failure !== undefined) return { intact: false, ...base, sealed: false, broken: this.failure };
    if (options.expectedHead !== undefined && options.expectedHead !== this.prev) {
      return { intact: false, ...base, broken: { index: Math.max(0, this.index - 1), reason: 'head_mismatch', message: 'the last record is not the expected head: the log was cut or rewritten' } };
    }
    if (options.requireSeal === true && !this.sealed) {
      return { intact: false, ...base, broken: { index: this.index, reason: 'unsealed', message: `the log ends after record ${this.index - 1} without a seal: its tail may have been cut` } };
    }
    return { intact: true, ...base };
  }

  private fail(index: number, reason: ChainBreak, message: string): false {
    this.failure = { index, reason, message };
    return false;
  }
}

type ParsedRecord = { kind: 'event' | 'seal'; body: unknown; prev: string; hash: string };

function readRecord(record: unknown): ParsedRecord | string {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return 'not a JSON object';
  const r = record as Record<string, unknown>;
  const keys = Object.keys(r).sort();
  if (keys.length !== 3 || !isHash(r['prev']) || !isHash(r['hash'])) return 'expected exactly "prev", "hash" and one of "event" / "seal"';
  const isEvent = keys[0] === 'event';
  const body = isEvent ? r['event'] : r['seal'];
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the record body is not an object';
  if (isEvent && (body as Record<string, unknown>)['schema'] !== 'purpose-guard.decision/1') return 'the event has an unknown schema';
  if (!isEvent && keys[2] !== 'seal') return 'expected exactly "prev", "hash" and one of "event" / "seal"';
  return { kind: isEvent ? 'event' : 'seal', body, prev: r['prev'] as string, hash: r['hash'] as string };
}
