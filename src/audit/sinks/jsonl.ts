import { closeSync, fstatSync, fsyncSync, openSync, readSync, write as fsWrite, writeSync, fsync as fsFsync } from 'node:fs';
import { ChainVerifier, GENESIS_HASH, linkRecord, type SealBody } from '../chain.js';
import type { DecisionEvent } from '../event.js';
import { AuditLogError } from '../errors.js';
import type { AuditSink } from './sink.js';

/** Options of `jsonlSink`. */
export interface JsonlSinkOptions {
  /** The log file; created if missing, only ever appended to. */
  readonly path: string;
  /**
   * `sync` (default): each event is written with one `write(2)` before `write`
   * returns, so the acknowledgement is synchronous and even the synchronous
   * `checkUse` is covered. `batched`: events are queued and written together
   * on the next turn of the event loop; the acknowledgement is a promise that
   * resolves once the batch is written (faster, for `checkUseAsync` and wrappers).
   */
  readonly mode?: 'sync' | 'batched' | undefined;
  /**
   * `true`: `fsync(2)` before acknowledging (each event in `sync` mode, each
   * batch in `batched` mode): an acknowledged event survives a power loss.
   * `false` (default): acknowledged once the kernel has it: survives a crash
   * of the process, not of the machine.
   */
  readonly fsync?: boolean | undefined;
  /**
   * The head hash the file must end with, as published by the previous
   * session (`sink.head()`); opening fails if it does not. Without it the
   * chain continues from whatever record the file ends with (after checking
   * that record's own hash).
   */
  readonly expectedHead?: string | undefined;
  /** Time source of seal records. */
  readonly clock?: (() => Date) | undefined;
}

/** A hash-chained JSON Lines sink. */
export interface JsonlSink extends AuditSink {
  /** The position and hash of the last record appended: publish it to anchor the log. */
  head(): { readonly records: number; readonly hash: string };
  /** Appends a seal record and closes the file. */
  close(): Promise<void>;
}

/**
 * An append-only, hash-chained JSON Lines audit log: each line is
 * `{"event":{...},"hash":"...","prev":"..."}` in RFC 8785 form, with
 * `hash = SHA-256(canonical({"event":{...},"prev":"..."}))` (see `chainHash`). On open it continues the chain
 * from the last record in the file (reading and checking that record only);
 * `close()` appends a seal, so a cut tail shows. Check a log with `verifyAuditLog`.
 * One sink per file: a write fails if the file's size is not what this sink wrote.
 *
 * @example
 * const trail = createAuditTrail({ catalogue, sinks: [jsonlSink({ path: 'audit.jsonl', fsync: true })] });
 */
export function jsonlSink(options: JsonlSinkOptions): JsonlSink {
  const { path } = options;
  const batched = options.mode === 'batched';
  const durable = options.fsync === true;
  const clock = options.clock ?? (() => new Date());
  const fd = openSync(path, 'a+');
  let prev: string;
  let records: number;
  /** The file's length as this sink last saw or made it: anything else means another writer (see checkSize). */
  let size: number;
  try {
    ({ prev, records, size } = resume(fd, path));
    if (options.expectedHead !== undefined && options.expectedHead !== prev) {
      throw new AuditLogError(`${path} ends with hash ${prev}, not the expected head ${options.expectedHead}: it was cut or rewritten since`);
    }
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  let sessionRecords = 0;
  let closed = false;
  let failure: unknown;
  /** Lines waiting for the next write, and the one acknowledgement they share. */
  let queue: string[] = [];
  let queued: { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } | undefined;
  let writing: Promise<void> | undefined;

  const link = (body: Record<string, unknown>, key: 'event' | 'seal'): string => {
    const { text, hash } = linkRecord(key, body, prev);
    const line = `${text}\n`;
    prev = hash;
    records++;
    sessionRecords++;
    return line;
  };
  /**
   * A second writer (another sink or process on this file) appends records that follow a head this sink has
   * never seen, forking the chain. Checked before a write, it stops this sink from adding to a fork; checked
   * after, it catches a writer that slipped in between: the file grew by exactly our bytes, or we do not acknowledge.
   */
  const checkSize = (): void => {
    const actual = fstatSync(fd).size;
    if (actual !== size) {
      throw new AuditLogError(`${path} is ${actual} bytes, not the ${size} this sink wrote: another writer is appending to it, or it was cut; a hash-chained log takes exactly one writer`);
    }
  };
  const sizeError = (): unknown => {
    try {
      checkSize();
      return null;
    } catch (error) {
      return error;
    }
  };
  const writeNow = (line: string): void => {
    const data = Buffer.from(line, 'utf8');
    checkSize();
    // write(2) may write less than asked (a full disk, a signal): finish the line or fail.
    for (let off = 0; off < data.length; ) off += writeSync(fd, data, off, data.length - off);
    size += data.length;
    checkSize();
    if (durable) fsyncSync(fd);
  };
  const writeAll = (data: Buffer, off: number, done: (error: unknown) => void): void => {
    fsWrite(fd, data, off, data.length - off, null, (error, written) => {
      if (error) done(error);
      else if (off + written < data.length) writeAll(data, off + written, done);
      else if (durable) fsFsync(fd, done);
      else done(null);
    });
  };
  const drain = (): Promise<void> => {
    // One write at a time: the thread pool may reorder concurrent writes, and the chain is ordered.
    if (writing !== undefined) return writing;
    const batch = queued;
    if (batch === undefined) return Promise.resolve();
    const data = Buffer.from(queue.join(''), 'utf8');
    queue = [];
    queued = undefined;
    writing = new Promise<void>((resolve) => {
      const written = (error: unknown): void => {
        if (error) {
          // Once a write failed, the file may hold part of a line: the chain cannot go on safely.
          failure ??= error;
          batch.reject(error);
        } else batch.resolve();
        writing = undefined;
        resolve();
        if (queued !== undefined) void drain();
      };
      const before = sizeError();
      if (before !== null) return written(before);
      writeAll(data, 0, (error) => {
        if (error === null) size += data.length;
        written(error ?? sizeError());
      });
    });
    return writing;
  };
  const enqueue = (line: string): Promise<void> => {
    queue.push(line);
    if (queued === undefined) {
      let resolve!: () => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      queued = { promise, resolve, reject };
      // Everything recorded in this turn of the event loop goes out in one write.
      if (writing === undefined) setImmediate(drain);
    }
    return queued.promise;
  };

  const ensureOpen = (): void => {
    if (closed) throw new AuditLogError(`${path}: the sink is closed`);
    if (failure !== undefined) throw new AuditLogError(`${path}: an earlier write failed, the log must be checked before more is appended`, { cause: failure });
  };

  const flush = async (): Promise<void> => {
    while (writing !== undefined || queued !== undefined) await (writing ?? drain());
    if (failure !== undefined) throw new AuditLogError(`${path}: a write failed`, { cause: failure });
  };

  return {
    name: `jsonl:${path}`,
    write(event: DecisionEvent): void | Promise<void> {
      ensureOpen();
      if (!batched) {
        const line = link(event as unknown as Record<string, unknown>, 'event');
        try {
          writeNow(line);
        } catch (error) {
          failure = error;
          throw error;
        }
        return;
      }
      return enqueue(link(event as unknown as Record<string, unknown>, 'event'));
    },
    flush,
    async close(): Promise<void> {
      if (closed) return;
      try {
        await flush();
        if (failure === undefined) {
          const seal: SealBody = { at: clock().toISOString(), records: sessionRecords };
          writeNow(link(seal as unknown as Record<string, unknown>, 'seal'));
        }
      } finally {
        closed = true;
        closeSync(fd);
      }
    },
    head: () => ({ records, hash: prev }),
  };
}

/** Reads the last record of an existing log and checks its own hash, to continue the chain from it. */
function resume(fd: number, path: string): { prev: string; records: number; size: number } {
  const size = fstatSync(fd).size;
  if (size === 0) return { prev: GENESIS_HASH, records: 0, size };
  const tail = readTail(fd, size);
  if (!tail.endsWith('\n')) {
    throw new AuditLogError(`${path} ends in a partial record (a write was interrupted): verify the log and repair it before appending`);
  }
  const lines = tail.slice(0, -1).split('\n');
  const last = lines[lines.length - 1] ?? '';
  let record: { prev?: unknown; hash?: unknown };
  try {
    record = JSON.parse(last) as { prev?: unknown; hash?: unknown };
  } catch {
    throw new AuditLogError(`${path}: the last record is not JSON: verify the log before appending`);
  }
  // Only the last record's own hash can be checked here; `verifyAuditLog` checks the whole chain.
  const check = new ChainVerifier(typeof record.prev === 'string' ? record.prev : '');
  if (!check.next(record, { line: last })) throw new AuditLogError(`${path}: the last record does not verify: check the log with verifyAuditLog before appending`);
  return { prev: record.hash as string, records: countLines(fd, size), size };
}

function readTail(fd: number, size: number): string {
  // Records are a few kB at most (strings are capped), so 64 kB holds the last one whole.
  const length = Math.min(size, 65_536);
  const buffer = Buffer.alloc(length);
  readSync(fd, buffer, 0, length, size - length);
  return buffer.toString('utf8');
}

function countLines(fd: number, size: number): number {
  const buffer = Buffer.alloc(Math.min(size, 1 << 20));
  let count = 0;
  for (let pos = 0; pos < size; ) {
    const n = readSync(fd, buffer, 0, buffer.length, pos);
    if (n === 0) break;
    for (let i = 0; i < n; i++) if (buffer[i] === 10) count++;
    pos += n;
  }
  return count;
}
