/**
 * The edge object cache on a core cache: Fastly's (`fastly:cache`, fastly-edge-cache.ts) in the
 * service, an in-memory one in the build-time warm-up (warm-up-core-cache.ts). TTLs there are milliseconds;
 * surrogate keys let a purge of one fragment's key drop every object tagged with it. A collapsing
 * lookup reads a stored entry at once and opens a core cache transaction only on a miss
 * (transaction-claim.ts; the Wasm host emulates the same hostcalls, so the contract suite and the
 * stampede test run this code).
 */
import type { EdgeCache, EdgeCacheClaim, EdgeCacheEntry } from '../core/ports.ts';
import { rejected } from '../core/backend/rejected.ts';
import type { CoreCachePort, CoreEntry } from './core-cache-port.ts';
import { readEntry, type EntryTarget } from './core-entry-read.ts';
import { insertOptions, unshared } from './core-entry-write.ts';
import { claimOfEntry, transactionClaim } from './transaction-claim.ts';

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
    lookupThen(key, then) {
      return lookupThen(core, key, then);
    },
    lookupOrFill(key, waitMs) {
      // An entry already there (a stored page, or a pass marker) is read without a transaction,
      // whose async wait costs the guest two hostcalls and its promise jobs; only a miss opens one.
      const stored = storedClaim(core, key);
      return stored !== null ? stored : transactionClaim(core, this, key, waitMs);
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

/**
 * The entry handed to `then` at once when it needs no body read (a miss, a pass marker, a
 * document in the metadata), and `then`'s answer returned as it is; else in the body read's own
 * reaction. A failed lookup or read is null.
 */
function lookupThen<T>(core: CoreCachePort, key: string, then: (entry: EdgeCacheEntry | null) => T): T | Promise<T> {
  let entry: CoreEntry | null;
  try {
    entry = core.lookup(key);
  } catch {
    entry = null;
  }
  if (entry === null) return then(null);
  const read = readEntry(entry, entry, { read: then, failed: () => then(null) });
  return read instanceof Promise ? read : then(read);
}

/**
 * The claim of a usable entry found by a plain lookup: as it is when the entry has no body to read
 * (a pass marker), else settled in the body read's own reaction; null when there is none (or the
 * lookup failed): then the transaction decides. A stale entry is answered as the transaction would
 * have after cancelling its revalidation.
 */
function storedClaim(core: CoreCachePort, key: string): EdgeCacheClaim | Promise<EdgeCacheClaim> | null {
  let entry: CoreEntry | null;
  try {
    entry = core.lookup(key);
  } catch {
    return null;
  }
  if (entry === null) return null;
  let read: EdgeCacheEntry | null | Promise<EdgeCacheClaim>;
  try {
    read = readEntry(entry, entry, STORED_CLAIM);
  } catch (error) {
    return rejected(error);
  }
  return read === null ? null : read instanceof Promise ? read : claimOfEntry(read);
}

/** Where a stored entry's body read goes: its claim, or the failure as the claim's rejection. */
const STORED_CLAIM: EntryTarget<EdgeCacheClaim> = {
  read: claimOfEntry,
  failed: (error) => {
    throw error;
  },
};

const NOTHING: Promise<null> = Promise.resolve(null);
