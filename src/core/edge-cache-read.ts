/**
 * Reads an edge cache entry for a caller that goes on from it (a template's variation, a visitor's
 * profile, a breaker's state): the entry, or null on a miss or a failed lookup, handed to `then`.
 * Every page makes two or three such reads, and a `then` on the lookup's promise costs a promise
 * job each (~10 µs and two clock reads in the Wasm guest), so a cache that can apply `then` itself
 * (`lookupThen`, the Fastly adapter) does; any other cache is read through its promise.
 */
import type { EdgeCache, EdgeCacheEntry } from './edge-cache-port.ts';

const NO_ENTRY: Promise<null> = Promise.resolve(null);

/** Never rejects unless `then` throws; `then` runs once. */
export function readEntryThen<T>(cache: EdgeCache, key: string, then: (entry: EdgeCacheEntry | null) => T | PromiseLike<T>): Promise<T> {
  // Outside the `try`: `lookupThen` never throws (a throw of `then` is its rejection), so `then` is never called twice.
  if (cache.lookupThen !== undefined) return cache.lookupThen(key, then);
  let found: Promise<EdgeCacheEntry | null>;
  try {
    found = cache.lookup(key);
  } catch {
    return NO_ENTRY.then(then);
  }
  return found.then(then, () => then(null));
}
