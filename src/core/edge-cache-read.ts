/**
 * Reads an edge cache entry for a caller that goes on from it (a template's variation, a visitor's
 * profile, a breaker's state): the entry, or null on a miss or a failed lookup, handed to `then`.
 * Every page makes two or three such reads, and a `then` on the lookup's promise costs a promise
 * job each (~10 µs and two clock reads in the Wasm guest), so a cache that can apply `then` itself
 * (`lookupThen`, the Fastly adapter) does; any other cache is read through its promise.
 */
import type { EdgeCache, EdgeCacheEntry } from './edge-cache-port.ts';
import { rejected } from './backend/rejected.ts';

const NO_ENTRY: Promise<null> = Promise.resolve(null);

/** Never rejects unless `then` throws; `then` runs once. */
export function readEntryThen<T>(cache: EdgeCache, key: string, then: (entry: EdgeCacheEntry | null) => T | PromiseLike<T>): Promise<T> {
  if (cache.lookupThen !== undefined) {
    // `lookupThen` throws only a throw of `then`, once called: it is not called again.
    try {
      return Promise.resolve(cache.lookupThen(key, then));
    } catch (error) {
      return rejected(error);
    }
  }
  let found: Promise<EdgeCacheEntry | null>;
  try {
    found = cache.lookup(key);
  } catch {
    return NO_ENTRY.then(then);
  }
  return found.then(then, () => then(null));
}

/**
 * `then`'s answer as it is when the cache works it out at once (a miss, or an entry without a body
 * to read, with `lookupThen`), else a promise of it: a caller that goes on at once saves the
 * await's promise job. A throw of `then` at once is thrown.
 */
export function readEntrySoon<T>(cache: EdgeCache, key: string, then: (entry: EdgeCacheEntry | null) => T | Promise<T>): T | Promise<T> {
  // A promise `then` returns is the answer's promise (a promise of a promise is flattened).
  return cache.lookupThen !== undefined ? (cache.lookupThen(key, then) as T | Promise<T>) : readEntryThen(cache, key, then);
}
