/**
 * The Wasm host's core cache (`fastly_cache`): the Node host's memory edge cache, whose objects
 * each own a cell in shared memory (http-cache-hits.ts, the cells the HTTP cache's fresh hits use),
 * so a worker answers a lookup of an object it was answered with before, unchanged since and not
 * expired, without the blocking round trip (two a warm demo page, ~50–100 µs of the worker's CPU
 * each). Every store operation runs under the cells' lock after replaying the workers' hits as LRU
 * moves, and every object that leaves (replaced, purged, expired, evicted) has its cell's generation
 * bumped, so a kept answer is one the store would give (kept-core-hits.ts).
 */
import type { EdgeCache, EdgeCacheClaim, EdgeCacheEntry, EdgeCacheInsert } from '../src/core/ports.ts';
import { DEFAULT_CACHE_BYTES, MemoryEdgeCache, type StoredEdgeObject } from '../src/local-platform/memory-edge-cache.ts';
import { StoreCells, TrackedLru } from './http-cache-cells.ts';
import type { HttpCacheHits } from './http-cache-hits.ts';
import type { CacheLookupReply } from './rpc-messages.ts';

/** The LRU that gives each stored object a cell and releases it when the object leaves. */
class CellLru extends TrackedLru<StoredEdgeObject> {
  constructor(
    maxBytes: number,
    private readonly cells: StoreCells<StoredEdgeObject>,
  ) {
    super(maxBytes, (object) => cells.forget(object));
  }

  override set(key: string, value: StoredEdgeObject, bytes: number, tags: readonly string[] = []): boolean {
    const stored = super.set(key, value, bytes, tags);
    if (stored) this.cells.give(value, key);
    return stored;
  }
}

export class CoreCacheStore implements EdgeCache {
  private readonly cells: StoreCells<StoredEdgeObject>;
  private readonly lru: CellLru;
  private readonly cache: MemoryEdgeCache;

  constructor(hits: HttpCacheHits, maxBytes = DEFAULT_CACHE_BYTES, clock: () => number = Date.now) {
    // A worker's hit moves the key as the store's own lookup would (ByteLru.get).
    this.cells = new StoreCells(hits, (key) => void this.lru.get(key));
    this.lru = new CellLru(maxBytes, this.cells);
    this.cache = new MemoryEdgeCache({ maxBytes, clock, store: this.lru });
  }

  lookup(key: string): Promise<EdgeCacheEntry | null> {
    return this.cells.exclusive(() => this.cache.lookup(key));
  }

  /** A worker's lookup: the entry, and what the worker needs to answer the key's next lookups itself. */
  async answer(key: string): Promise<CacheLookupReply> {
    const { entry, kept } = this.cells.exclusive(() => {
      // The edge cache finds synchronously (the promise only wraps its answer): what is stored under the key right
      // after it is the object it found, if it found one, and its cell and generation are read at the same moment.
      const found = this.cache.lookup(key);
      const object = this.lru.peek(key);
      const cell = object && this.cells.kept(object, object.storedAt);
      return { entry: found, kept: object && cell ? { ...cell, ttlMs: object.ttlMs, swrMs: object.swrMs } : undefined };
    });
    const found = await entry;
    if (!found) return { found: false };
    return kept ? { found: true, ...found, kept } : { found: true, ...found };
  }

  lookupOrFill(key: string, waitMs: number): Promise<EdgeCacheClaim> {
    return this.cells.exclusive(() => this.cache.lookupOrFill(key, waitMs));
  }

  insert(key: string, body: Uint8Array, options: EdgeCacheInsert): Promise<void> {
    return this.cells.exclusive(() => this.cache.insert(key, body, options));
  }

  purgeSurrogateKey(key: string): Promise<void> {
    return this.cells.exclusive(() => this.cache.purgeSurrogateKey(key));
  }
}
