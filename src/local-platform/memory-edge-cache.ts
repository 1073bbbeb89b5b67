/**
 * The Node host's edge object cache (Fastly's core cache on Compute): an in-memory LRU with a byte
 * cap, TTL plus stale-while-revalidate, and surrogate keys for purging.
 */
import type { EdgeCache, EdgeCacheEntry, EdgeCacheInsert } from '../core/ports.ts';
import { ByteLru, keyBytes } from './byte-lru.ts';

interface StoredObject {
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
}

export const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;

export class MemoryEdgeCache implements EdgeCache {
  private readonly store: ByteLru<StoredObject>;
  private readonly clock: () => number;

  constructor(options: MemoryEdgeCacheOptions = {}) {
    this.store = new ByteLru(options.maxBytes ?? DEFAULT_CACHE_BYTES);
    this.clock = options.clock ?? Date.now;
  }

  get bytes(): number {
    return this.store.bytes;
  }

  lookup(key: string): Promise<EdgeCacheEntry | null> {
    const found = this.store.get(key);
    if (!found) return Promise.resolve(null);
    const age = this.clock() - found.storedAt;
    if (age >= found.ttlMs + found.swrMs) {
      this.store.delete(key);
      return Promise.resolve(null);
    }
    return Promise.resolve({ body: found.body, meta: found.meta, stale: age >= found.ttlMs });
  }

  insert(key: string, body: Uint8Array, options: EdgeCacheInsert): Promise<void> {
    const meta = options.meta ?? '';
    const stored: StoredObject = {
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
