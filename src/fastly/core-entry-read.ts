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

/** `closing` is closed once the entry is read (or the read failed). */
export function readEntry(entry: CoreEntry, closing: { close(): void }): EdgeCacheEntry | null | Promise<EdgeCacheEntry> {
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
    return readBody(entry.body().getReader() as ReadableStreamDefaultReader<Uint8Array>, { found, closing, length, chunks: [], got: 0 });
  } catch (error) {
    closing.close();
    return rejected(error);
  }
}

interface BodyRead {
  found: EdgeCacheEntry;
  closing: { close(): void };
  /** The entry's length; null when the platform does not know it. */
  length: number | null;
  chunks: Uint8Array[];
  got: number;
}

/**
 * Every chunk of the stream, joined (one chunk, the usual case for small entries, is not copied),
 * set on the entry in the read's own reaction (a second reaction would be a promise job more).
 * Once the entry's known length has arrived the end is not waited for: that last read costs two
 * promises and two hostcalls, and the entry is closed right after. An unknown length reads to the end.
 */
function readBody(reader: ReadableStreamDefaultReader<Uint8Array>, read: BodyRead): Promise<EdgeCacheEntry> {
  return reader.read().then(
    (step) => {
      if (!step.done) {
        read.chunks.push(step.value);
        read.got += step.value.byteLength;
        if (read.got !== read.length) return readBody(reader, read);
      }
      read.closing.close();
      read.found.body = read.chunks.length === 1 ? read.chunks[0]! : concatBytes(read.chunks);
      return read.found;
    },
    (error: unknown) => {
      read.closing.close();
      throw error;
    },
  );
}
