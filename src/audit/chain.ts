import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical.js';
import type { DecisionEvent } from './event.js';

/**
 * The `prev` of a log's first record: 32 zero bytes, in hex.
 *
 * @example
 * chainHash('event', firstEvent, GENESIS_HASH);
 */
export const GENESIS_HASH = '0'.repeat(64);

const HEX64 = /^[0-9a-f]{64}$/;
// What Date#toISOString writes (years outside 0000-9999 as ±YYYYYY).
const ISO_UTC = /^(?:\d{4}|[+-]\d{6})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

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
 * What a record holds: a decision event, or the seal that closes a session.
 * Hashed with the record, so one cannot pass for the other.
 *
 * @example
 * const kind: RecordKind = 'seal' in record ? 'seal' : 'event';
 */
export type RecordKind = 'event' | 'seal';

/**
 * `hash_i = SHA-256(canonical({"<kind>": body_i, "prev": hash_{i-1}}))`: the
 * record as stored, minus its `hash`, in RFC 8785 form. So the hash binds what
 * the record is (an event or a seal) as well as its body and predecessor.
 *
 * @example
 * const h0 = chainHash('event', event, GENESIS_HASH);
 */
export function chainHash(kind: RecordKind, body: unknown, prev: string): string {
  return chainHashOf(kind, canonicalJson(body), prev);
}

/** `chainHash` for a body already in canonical form (writers serialise once and reuse the text). */
function chainHashOf(kind: RecordKind, canonicalBody: string, prev: string): string {
  // RFC 8785 orders the members event < prev < seal; prev is lower-case hex, canonical as it is.
  const text = kind === 'event' ? `{"event":${canonicalBody},"prev":"${prev}"}` : `{"prev":"${prev}","seal":${canonicalBody}}`;
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The stored record: its canonical form, with `hash` in its place (event < hash < prev < seal). */
function recordText(kind: RecordKind, canonicalBody: string, hash: string, prev: string): string {
  return kind === 'event' ? `{"event":${canonicalBody},"hash":"${hash}","prev":"${prev}"}` : `{"hash":"${hash}","prev":"${prev}","seal":${canonicalBody}}`;
}

/**
 * The stored form of a record, `{"<kind>":<body>,"hash":"…","prev":"…"}` in
 * RFC 8785 form, with the canonical body (an SQLite row stores it alone) and the hash.
 *
 * @example
 * const { text, hash } = linkRecord('event', event, prev);
 */
export function linkRecord(kind: RecordKind, body: unknown, prev: string): { readonly text: string; readonly body: string; readonly hash: string } {
  const canonical = canonicalJson(body);
  const hash = chainHashOf(kind, canonical, prev);
  return { text: recordText(kind, canonical, hash, prev), body: canonical, hash };
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
  | 'not_canonical'
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
 * What a store holds of a record, byte for byte: a JSON Lines line, or an
 * SQLite row's body. It must be the canonical form of what it parses to, or a
 * reader that does not parse as `JSON.parse` does (one that keeps the first of
 * two duplicate members, say) sees something other than what was hashed.
 *
 * @example
 * verifier.next(JSON.parse(line), { line }); // JSON Lines
 * verifier.next({ [row.kind]: JSON.parse(row.body), prev: row.prev, hash: row.hash }, { body: row.body }); // SQLite
 */
export type StoredText = { readonly line: string } | { readonly body: string };

/**
 * Walks a chain and reports the first record that does not verify. Stores
 * feed it records already parsed with the text they were parsed from, or
 * `stop` with a problem for one that could not be.
 *
 * @example
 * const v = new ChainVerifier();
 * for (const line of lines) if (!v.next(JSON.parse(line), { line })) break;
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

  /** Checks the next record; returns false once the chain is broken (stop feeding it). */
  next(record: unknown, stored: StoredText): boolean {
    if (this.failure !== undefined) return false;
    const i = this.index;
    const parsed = readRecord(record);
    if (typeof parsed === 'string') return this.stop('malformed', `record ${i}: ${parsed}`);
    let body: string;
    try {
      body = canonicalJson(parsed.body);
    } catch (error) {
      return this.stop('malformed', `record ${i} cannot be canonicalised: ${(error as Error).message}`);
    }
    if ('line' in stored ? stored.line !== recordText(parsed.kind, body, parsed.hash, parsed.prev) : stored.body !== body) {
      return this.stop('not_canonical', `record ${i} is not stored in its canonical form (a duplicate or reordered member, whitespace, another escape): readers may see other content than was hashed`);
    }
    if (parsed.prev !== this.prev) {
      return this.stop('prev_mismatch', `record ${i} does not follow record ${i - 1}: it was edited, inserted, moved, or its predecessor deleted`);
    }
    if (chainHashOf(parsed.kind, body, parsed.prev) !== parsed.hash) return this.stop('hash_mismatch', `record ${i} was edited: its content does not match its hash`);
    this.prev = parsed.hash;
    this.sealed = parsed.kind === 'seal';
    if (parsed.kind === 'event') this.events++;
    this.index++;
    return true;
  }

  /** Reports the next record as broken for a reason found by the store (unreadable, missing, a column edited...). */
  stop(reason: ChainBreak, message: string): false {
    this.failure ??= { index: this.index, reason, message };
    return false;
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
}

type ParsedRecord = { kind: RecordKind; body: unknown; prev: string; hash: string };

const RECORD_SHAPE = 'expected exactly "prev", "hash" and one of "event" / "seal"';

function readRecord(record: unknown): ParsedRecord | string {
  if (!isObject(record)) return 'not a JSON object';
  const keys = Object.keys(record).sort();
  if (keys.length !== 3 || !isHash(record['prev']) || !isHash(record['hash'])) return RECORD_SHAPE;
  const kind = keys[0] === 'event' ? 'event' : keys[2] === 'seal' ? 'seal' : undefined;
  if (kind === undefined) return RECORD_SHAPE;
  const body = record[kind];
  if (!isObject(body)) return 'the record body is not an object';
  if (kind === 'event' && body['schema'] !== 'purpose-guard.decision/1') return 'the event has an unknown schema';
  // A seal says "this session ended here, after n records": nothing else, so nothing else can pass for one.
  if (kind === 'seal' && !isSeal(body)) return 'a seal holds exactly "at" (ISO 8601 UTC) and "records" (a count)';
  return { kind, body, prev: record['prev'] as string, hash: record['hash'] as string };
}

function isSeal(body: Record<string, unknown>): body is Record<string, unknown> & SealBody {
  const { at, records } = body;
  return Object.keys(body).length === 2 && typeof at === 'string' && ISO_UTC.test(at) && Number.isSafeInteger(records) && (records as number) >= 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
