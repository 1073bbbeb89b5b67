/**
 * Reading a core cache entry (`fastly:cache`, or the warm-up's in-memory one) into the edge cache's
 * entry: its bytes, metadata and staleness, read straight off the body stream rather than through a
 * `Response` (four hostcalls in the Wasm guest), and written with `then`, not `async`/`await`: in
 * the guest each promise job costs ~10 µs, and profile, breaker and page lookups run several times
 * per page. What is known at once (an unusable entry, or one without a body) is answered as it is,
 * not as a promise.
 */
import type { EdgeCacheEntry } from '../core/ports.ts';
import { concatBytes } from '../core/http/concat-bytes.ts';
import { rejected } from '../core/backend/rejected.ts';
import type { CoreEntry } from './core-cache-port.ts';

const decoder = new TextDecoder();
const EMPTY = new Uint8Array(0);

/** Where an entry read off its body goes, inside the read's own reaction; by default the read's promise. */
export interface EntryTarget<T> {
  read(found: EdgeCacheEntry): T | PromiseLike<T>;
  failed(error: unknown): T | PromiseLike<T>;
}

const AS_PROMISE: EntryTarget<EdgeCacheEntry> = {
  read: (found) => found,
  failed: (error) => {
    throw error;
  },
};

/**
 * `closing` is closed once the entry is read (or the read failed). A `target` takes an entry read
 * off its body (or the failure) in the read's own reaction: a caller that goes on from it (the
 * collapsing lookup's claim) needs no `then` of its own, one promise job fewer in the guest.
 */
export function readEntry(entry: CoreEntry, closing: { close(): void }): EdgeCacheEntry | null | Promise<EdgeCacheEntry>;
export function readEntry<T>(entry: CoreEntry, closing: { close(): void }, target: EntryTarget<T>): EdgeCacheEntry | null | Promise<T>;
export function readEntry<T>(entry: CoreEntry, closing: { close(): void }, target?: EntryTarget<T>): EdgeCacheEntry | null | Promise<T | EdgeCacheEntry> {
  try {
    const state = entry.state();
    if (!state.usable()) {
      closing.close();
      return null;
    }
    const found: EdgeCacheEntry = { body: EMPTY, meta: decoder.decode(entry.userMetadata()), stale: state.stale() };
    const length = entry.length();
    if (length === 0) {
      // Nothing to read (a pass marker, say): no body stream and no reads, each a few promises.
      closing.close();
      return found;
    }
    return readBody<T | EdgeCacheEntry>(entry.body().getReader() as ReadableStreamDefaultReader<Uint8Array>, { found, closing, length, chunks: [], got: 0, target: target ?? AS_PROMISE });
  } catch (error) {
    closing.close();
    return target === undefined ? rejected(error) : Promise.resolve(target.failed(error));
  }
}

interface BodyRead<T> {
  found: EdgeCacheEntry;
  target: EntryTarget<T>;
  closing: { close(): void };
  /** The entry's length; null when the platform does not know it. */
  length: number | null;
  chunks: Uint8Array[];
  got: number;
}

/**
 * How many bytes js-compute asks the host for per body read (`HANDLE_READ_CHUNK_SIZE`): an entry
 * longer than this takes several reads.
 */
export const RUNTIME_READ_BYTES = 8192;

/**
 * Every chunk of the stream, joined (one chunk, the usual case for small entries, is not copied),
 * set on the entry in the read's own reaction (a second reaction would be a promise job more).
 * Once the entry's known length has arrived the end is not waited for: that last read costs two
 * promises and two hostcalls, and the entry is closed right after. An unknown length reads to the end.
 * An entry longer than one runtime read (a page stored with holes, page-holes.ts: ~33 KB, five
 * reads) settles one promise made up front from its last read's reaction: a promise returned from
 * each read's reaction would be adopted by the one before it, a promise job per read more.
 */
function readBody<T>(reader: ReadableStreamDefaultReader<Uint8Array>, read: BodyRead<T>): Promise<T> {
  if (read.length !== null && read.length > RUNTIME_READ_BYTES) return new Promise<T>((resolve, reject) => pull(reader, read, resolve, reject));
  return reader.read().then(
    (step) => (wantsMore(read, step) ? readBody(reader, read) : finished(read)),
    (error: unknown) => failedRead(read, error),
  );
}

/** One read of a long body; the last settles the promise `readBody` made. */
function pull<T>(reader: ReadableStreamDefaultReader<Uint8Array>, read: BodyRead<T>, resolve: (value: T | PromiseLike<T>) => void, reject: (error: unknown) => void): void {
  reader.read().then(
    (step) => {
      if (wantsMore(read, step)) return pull(reader, read, resolve, reject);
      try {
        resolve(finished(read));
      } catch (error) {
        reject(error);
      }
    },
    (error: unknown) => {
      try {
        resolve(failedRead(read, error));
      } catch (thrown) {
        reject(thrown);
      }
    },
  );
}

type ReadStep = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>;

/** Keeps a chunk; true while the entry's known length has not all arrived (or, unknown, until the end). */
function wantsMore(read: BodyRead<unknown>, step: ReadStep): boolean {
  if (step.done) return false;
  read.chunks.push(step.value);
  read.got += step.value.byteLength;
  return read.got !== read.length;
}

function finished<T>(read: BodyRead<T>): T | PromiseLike<T> {
  read.closing.close();
  read.found.body = read.chunks.length === 1 ? read.chunks[0]! : concatBytes(read.chunks);
  return read.target.read(read.found);
}

function failedRead<T>(read: BodyRead<T>, error: unknown): T | PromiseLike<T> {
  read.closing.close();
  return read.target.failed(error);
}
