/**
 * The edge object cache on a core cache: Fastly's (`fastly:cache`, fastly-edge-cache.ts) in the
 * service, an in-memory one in the build-time warm-up (warm-up-core-cache.ts). TTLs there are milliseconds;
 * surrogate keys let a purge of one fragment's key drop every object tagged with it. Collapsing
 * lookups are core cache transactions: the platform hands one caller the obligation to insert and
 * makes the others wait for it, across sandboxes (the Wasm host emulates the same hostcalls, so the
 * contract suite and the stampede test run this code).
 */
import type { EdgeCache, EdgeCacheClaim, EdgeCacheEntry, EdgeCacheInsert } from '../core/ports.ts';
import { rejected } from '../core/backend/rejected.ts';
import type { CoreCachePort, CoreEntry, CoreInsertOptions, CoreTransaction } from './core-cache-port.ts';
import { readEntry, type EntryTarget } from './core-entry-read.ts';

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
      if (stored !== null) return stored;
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
      // The answer is settled from the reactions themselves: a claim's promise returned from one
      // would cost two promise jobs more to adopt (~20 µs in the Wasm guest).
      return new Promise((resolve, reject) => {
        waiting.then(
          (transaction) => {
            try {
              // A stored body is read, and the claim settled, in the read's own reaction.
              const claim = claimOf(transaction, { read: (entry) => resolve(claimOfEntry(entry)), failed: reject });
              if (!(claim instanceof Promise)) resolve(claim);
            } catch (error) {
              resolve(rejected(error));
            }
          },
          () => plain().then(resolve, reject),
        );
      });
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

/** An entry found: no fill is owed. */
function claimOfEntry(entry: EdgeCacheEntry | null): EdgeCacheClaim {
  return entry ? { entry, fill: null } : { entry: null, fill: null };
}

/**
 * The claim a transaction gives; while the entry's body is still to read, a promise of that read,
 * which hands the entry (or the failure) to `settle` in its own reaction.
 */
function claimOf(transaction: CoreTransaction, settle: EntryTarget<void>): EdgeCacheClaim | Promise<void> {
  const state = transaction.state();
  if (state.found() && state.usable()) {
    // A stale entry also asks one caller to revalidate; nothing here revalidates in place.
    if (state.mustInsertOrUpdate()) transaction.cancel();
    // An entry without a body (a pass marker) is the claim at once.
    const read = readEntry(transaction, transaction, settle);
    return read instanceof Promise ? read : claimOfEntry(read);
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
