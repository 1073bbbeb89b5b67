/**
 * The Node host's edge object cache (Fastly's core cache on Compute): an in-memory LRU with a byte
 * cap, TTL plus stale-while-revalidate, surrogate keys for purging, and request collapsing like
 * CoreCache.transactionLookup: the first caller to miss a key fills it, later ones wait for it.
 */
import type { EdgeCache, EdgeCacheClaim, EdgeCacheEntry, EdgeCacheInsert } from '../core/ports.ts';
import { ByteLru, keyBytes } from './byte-lru.ts';

export interface StoredEdgeObject {
  body: Uint8Array;
  meta: string;
  storedAt: number;
  ttlMs: number;
  swrMs: number;
}

export interface MemoryEdgeCacheOptions {
  /** Byte cap over bodies, metadata and keys (default 64 MiB). */
  maxBytes?: number;
  /** Milliseconds clock; Date.now by default (tests pass a fake). */
  clock?: () => number;
  /** The LRU to keep objects in, for a store that must hear of every object leaving (the Wasm host's, wasm-host/core-cache-store.ts); `maxBytes` is then its own. */
  store?: ByteLru<StoredEdgeObject>;
}

export const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;

export class MemoryEdgeCache implements EdgeCache {
  private readonly store: ByteLru<StoredEdgeObject>;
  private readonly clock: () => number;
  /** Keys being filled, each with the promise its waiters wait on. */
  private readonly filling = new Map<string, Promise<void>>();

  constructor(options: MemoryEdgeCacheOptions = {}) {
    this.store = options.store ?? new ByteLru(options.maxBytes ?? DEFAULT_CACHE_BYTES);
    this.clock = options.clock ?? Date.now;
  }

  get bytes(): number {
    return this.store.bytes;
  }

  lookup(key: string): Promise<EdgeCacheEntry | null> {
    return Promise.resolve(this.find(key));
  }

  /** Checks and claims in one synchronous step, so two callers can never both get the fill. */
  lookupOrFill(key: string, waitMs: number): Promise<EdgeCacheClaim> {
    const entry = this.find(key);
    if (entry) return Promise.resolve({ entry, fill: null });
    const pending = this.filling.get(key);
    if (pending) {
      return waitAtMost(pending, waitMs).then(() => {
        const filled = this.find(key);
        return filled ? { entry: filled, fill: null } : { entry: null, fill: null };
      });
    }
    let release = (): void => undefined;
    const done = new Promise<void>((resolve) => (release = resolve));
    this.filling.set(key, done);
    const settle = (): void => {
      if (this.filling.get(key) === done) this.filling.delete(key);
      release();
    };
    return Promise.resolve({
      entry: null,
      fill: {
        insert: async (body, options) => {
          await this.insert(key, body, options);
          settle();
        },
        abandon: settle,
      },
    });
  }

  private find(key: string): EdgeCacheEntry | null {
    const found = this.store.get(key);
    if (!found) return null;
    const age = this.clock() - found.storedAt;
    if (age >= found.ttlMs + found.swrMs) {
      this.store.delete(key);
      return null;
    }
    return { body: found.body, meta: found.meta, stale: age >= found.ttlMs };
  }

  insert(key: string, body: Uint8Array, options: EdgeCacheInsert): Promise<void> {
    const meta = options.meta ?? '';
    const stored: StoredEdgeObject = {
      body: body.slice(),
      meta,
      storedAt: this.clock(),
      ttlMs: Math.max(0, options.ttlMs),
      swrMs: Math.max(0, options.swrMs ?? 0),
    };
    this.store.set(key, stored, body.byteLength + meta.length * 2 + keyBytes(key), options.surrogateKeys ?? []);
    return Promise.resolve();
  }

  purgeSurrogateKey(key: string): Promise<void> {
    this.store.purgeTag(key);
    return Promise.resolve();
  }
}

/** Resolves when `promise` does or after `ms`, whichever is first. */
function waitAtMost(promise: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}
