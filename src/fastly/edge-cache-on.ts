/**
 * The edge object cache on a core cache: Fastly's (`fastly:cache`, fastly-edge-cache.ts) in the
 * service, an in-memory one in the build-time warm-up (warm-up-core-cache.ts). TTLs there are milliseconds;
 * surrogate keys let a purge of one fragment's key drop every object tagged with it. Collapsing
 * lookups are core cache transactions: the platform hands one caller the obligation to insert and
 * makes the others wait for it, across sandboxes (the Wasm host emulates the same hostcalls, so the
 * contract suite and the stampede test run this code).
 */
import type { EdgeCache, EdgeCacheClaim, EdgeCacheEntry, EdgeCacheInsert } from '../core/ports.ts';
import { concatBytes } from '../core/http/concat-bytes.ts';
import { rejected } from '../core/backend/rejected.ts';
import type { CoreCachePort, CoreEntry, CoreInsertOptions, CoreTransaction } from './core-cache-port.ts';

/** `purge` is the platform's purge by surrogate key. */
export function edgeCacheOn(core: CoreCachePort, purge: (key: string) => void): EdgeCache {
  return {
    lookup(key) {
      let entry: CoreEntry | null;
      try {
        entry = core.lookup(key);
      } catch (error) {
        // A rejection, as from an async lookup: callers `.catch` it.
        return rejected(error);
      }
      if (!entry) return NOTHING;
      const read = readEntry(entry, entry);
      return read instanceof Promise ? read : read === null ? NOTHING : Promise.resolve(read);
    },
    lookupOrFill(key, waitMs) {
      // `then` chains, not async/await: one page-cache lookup per page, and in the Wasm guest each
      // async frame and await costs ~10 µs.
      const plain = (): Promise<EdgeCacheClaim> => this.lookup(key).then(claimOfEntry);
      let waiting: Promise<CoreTransaction>;
      try {
        waiting = core.transactionLookupAsync(key).wait(waitMs);
      } catch {
        return plain();
      }
      // The wait ran out (the wait is released), or the host has no transactions: a plain lookup.
      return waiting.then(claimOf, plain);
    },
    insert(key, body, options) {
      const writer = core.insert(key, insertOptions(body, options));
      writer.append(unshared(body));
      writer.close();
      return Promise.resolve();
    },
    purgeSurrogateKey(key) {
      purge(key);
      return Promise.resolve();
    },
  };
}

/** An entry found: no fill is owed. */
function claimOfEntry(entry: EdgeCacheEntry | null): EdgeCacheClaim {
  return entry ? { entry, fill: null } : { entry: null, fill: null };
}

function claimOf(transaction: CoreTransaction): EdgeCacheClaim | Promise<EdgeCacheClaim> {
  const state = transaction.state();
  if (state.found() && state.usable()) {
    // A stale entry also asks one caller to revalidate; nothing here revalidates in place.
    if (state.mustInsertOrUpdate()) transaction.cancel();
    // An entry without a body (a pass marker) is the claim at once: a promise of it, returned from
    // this reaction, would cost three promise jobs more (~30 µs in the Wasm guest).
    const read = readEntry(transaction, transaction);
    return read instanceof Promise ? read.then(claimOfEntry) : claimOfEntry(read);
  }
  if (!state.mustInsertOrUpdate()) {
    transaction.close();
    return { entry: null, fill: null };
  }
  return {
    entry: null,
    fill: {
      insert(body, options) {
        const writer = transaction.insert(insertOptions(body, options));
        writer.append(unshared(body));
        writer.close();
        transaction.close();
        return Promise.resolve();
      },
      abandon() {
        transaction.cancel();
        transaction.close();
      },
    },
  };
}

const NOTHING: Promise<null> = Promise.resolve(null);
const decoder = new TextDecoder();

/**
 * The entry's bytes, metadata and staleness; `closing` is closed once they are read (or the read
 * failed). Written without `async`/`await` and read straight off the body stream rather than
 * through a `Response`: in the Wasm guest each promise costs ~10 µs and a `Response` four hostcalls,
 * and profile, breaker and page lookups run several times per page. An unusable entry or one
 * without a body is answered as it is, not as a promise.
 */
function readEntry(entry: CoreEntry, closing: { close(): void }): EdgeCacheEntry | null | Promise<EdgeCacheEntry | null> {
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
    return readAll(entry.body().getReader() as ReadableStreamDefaultReader<Uint8Array>, [], length, 0).then(
      (body) => {
        closing.close();
        found.body = body;
        return found;
      },
      (error: unknown) => {
        closing.close();
        throw error;
      },
    );
  } catch (error) {
    closing.close();
    return rejected(error);
  }
}

const EMPTY = new Uint8Array(0);

/**
 * Every chunk of the stream, joined (one chunk, the usual case for small entries, is not copied).
 * Once the entry's known length has arrived the end is not waited for: that last read costs two
 * promises (~10 µs each in the Wasm guest) and two hostcalls, and the entry is closed right after.
 * A length the platform does not know (null) reads to the end.
 */
function readAll(reader: ReadableStreamDefaultReader<Uint8Array>, chunks: Uint8Array[], length: number | null, got: number): Promise<Uint8Array> {
  return reader.read().then((step) => {
    if (!step.done) {
      chunks.push(step.value);
      const total = got + step.value.byteLength;
      if (total !== length) return readAll(reader, chunks, length, total);
    }
    return chunks.length === 1 ? chunks[0]! : concatBytes(chunks);
  });
}

/** The core's bodies are never on a SharedArrayBuffer (the guest has no threads); the platform's types want that said. */
function unshared(body: Uint8Array): Uint8Array<ArrayBuffer> {
  return body as Uint8Array<ArrayBuffer>;
}

function insertOptions(body: Uint8Array, options: EdgeCacheInsert): CoreInsertOptions {
  return {
    maxAge: options.ttlMs,
    staleWhileRevalidate: options.swrMs ?? 0,
    surrogateKeys: options.surrogateKeys ? options.surrogateKeys.slice() : [],
    userMetadata: options.meta ?? '',
    length: body.byteLength,
  };
}
