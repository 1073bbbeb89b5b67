/**
 * The edge object cache's port, part of the `deps` object (ports.ts): Fastly's core cache on
 * Compute (src/fastly/fastly-edge-cache.ts), an in-memory LRU on the Node host.
 */

/** One entry of the edge object cache (Fastly core cache; an in-memory LRU on the Node host). */
export interface EdgeCacheEntry {
  body: Uint8Array;
  /** Opaque metadata stored with the body (JSON text by convention). */
  meta: string;
  /** True when past its TTL but inside its stale-while-revalidate window. */
  stale: boolean;
}

export interface EdgeCacheInsert {
  ttlMs: number;
  swrMs?: number;
  surrogateKeys?: readonly string[];
  meta?: string;
}

/**
 * A miss this caller was asked to fill: concurrent collapsing lookups of the key wait until it
 * inserts or abandons. Whoever gets one must settle it, once.
 */
export interface EdgeCacheFill {
  /** Inserts the entry and hands it to the waiting callers. */
  insert(body: Uint8Array, options: EdgeCacheInsert): Promise<void>;
  /** Gives up: the waiting callers go on without an entry (one of them may be asked to fill). */
  abandon(): void;
}

/**
 * What a collapsing lookup found: an entry, or a miss with the obligation to fill it, or (after
 * another caller's fill gave up or outlasted the wait) a miss with no obligation.
 */
export type EdgeCacheClaim = { entry: EdgeCacheEntry; fill: null } | { entry: null; fill: EdgeCacheFill | null };

export interface EdgeCache {
  lookup(key: string): Promise<EdgeCacheEntry | null>;
  /**
   * Optional: `lookup` with `then` applied to the entry (null for a miss or a failed lookup) in the
   * lookup's own reaction, or at once when the entry needs no body read, rather than in a `then`
   * of the caller's on the lookup's promise: one promise job fewer per read in the Wasm guest
   * (edge-cache-read.ts). Applied at once, `then`'s answer is returned as it is, not as a promise
   * (awaiting one would cost the job this saves), and a throw of `then` is thrown; applied in the
   * read's reaction, its answer or throw settles the promise returned. `then` is called once.
   */
  lookupThen?<T>(key: string, then: (entry: EdgeCacheEntry | null) => T): T | Promise<T>;
  /**
   * Request collapsing (Fastly's CoreCache.transactionLookup): of concurrent lookups that miss,
   * one gets the fill and the others wait, at most `waitMs`, for what it inserts. A claim known at
   * once (an entry already there without a body to read) may be returned as it is.
   */
  lookupOrFill(key: string, waitMs: number): EdgeCacheClaim | Promise<EdgeCacheClaim>;
  insert(key: string, body: Uint8Array, options: EdgeCacheInsert): Promise<void>;
  purgeSurrogateKey(key: string): Promise<void>;
}
