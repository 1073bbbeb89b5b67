/**
 * The edge object cache on Fastly's core cache (`fastly:cache`). TTLs there are milliseconds;
 * surrogate keys let a purge of one fragment's key drop every object tagged with it. Collapsing
 * lookups are core cache transactions: the platform hands one caller the obligation to insert and
 * makes the others wait for it, across sandboxes (the Wasm host emulates the same hostcalls, so the
 * contract suite and the stampede test run this code).
 */
import { CoreCache, type CacheEntry, type TransactionCacheEntry } from 'fastly:cache';
import { purgeSurrogateKey } from 'fastly:compute';
import type { EdgeCache, EdgeCacheClaim, EdgeCacheEntry, EdgeCacheInsert } from '../core/ports.ts';

export const fastlyEdgeCache: EdgeCache = {
  async lookup(key) {
    const entry = CoreCache.lookup(key);
    if (!entry) return null;
    try {
      return await readEntry(entry);
    } finally {
      entry.close();
    }
  },
  async lookupOrFill(key, waitMs) {
    let transaction: TransactionCacheEntry;
    try {
      transaction = await CoreCache.transactionLookupAsync(key).wait(waitMs);
    } catch {
      // The wait ran out (the wait is released), or the host has no transactions: a plain lookup.
      const entry = await this.lookup(key);
      return entry ? { entry, fill: null } : { entry: null, fill: null };
    }
    return claimOf(transaction);
  },
  insert(key, body, options) {
    const writer = CoreCache.insert(key, insertOptions(body, options));
    writer.append(body);
    writer.close();
    return Promise.resolve();
  },
  purgeSurrogateKey(key) {
    purgeSurrogateKey(key);
    return Promise.resolve();
  },
};

async function claimOf(transaction: TransactionCacheEntry): Promise<EdgeCacheClaim> {
  const state = transaction.state();
  if (state.found() && state.usable()) {
    // A stale entry also asks one caller to revalidate; nothing here revalidates in place.
    if (state.mustInsertOrUpdate()) transaction.cancel();
    try {
      return { entry: await readEntry(transaction), fill: null };
    } finally {
      transaction.close();
    }
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
        writer.append(body);
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

async function readEntry(entry: CacheEntry): Promise<EdgeCacheEntry | null> {
  const state = entry.state();
  if (!state.usable()) return null;
  const body = new Uint8Array(await new Response(entry.body()).arrayBuffer());
  const meta = new TextDecoder().decode(entry.userMetadata());
  return { body, meta, stale: state.stale() };
}

function insertOptions(body: Uint8Array, options: EdgeCacheInsert) {
  return {
    maxAge: options.ttlMs,
    staleWhileRevalidate: options.swrMs ?? 0,
    surrogateKeys: options.surrogateKeys ? [...options.surrogateKeys] : [],
    userMetadata: options.meta ?? '',
    length: body.byteLength,
  };
}
