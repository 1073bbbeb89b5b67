/**
 * An in-memory EdgeCache for profile tests, on a clock the test moves by hand, so TTL and
 * stale-while-revalidate phases are reached without waiting. It records every key written.
 */
import type { EdgeCache, EdgeCacheClaim, EdgeCacheEntry, EdgeCacheInsert } from '../../../src/core/ports.ts';

export class ManualClock {
  now = 0;

  advance(ms: number): void {
    this.now += ms;
  }
}

interface Stored {
  body: Uint8Array;
  meta: string;
  storedAt: number;
  ttlMs: number;
  swrMs: number;
}

export class MemoryEdgeCache implements EdgeCache {
  readonly inserted: string[] = [];
  private readonly entries = new Map<string, Stored>();

  constructor(readonly clock: ManualClock = new ManualClock()) {}

  lookup(key: string): Promise<EdgeCacheEntry | null> {
    const stored = this.entries.get(key);
    if (stored === undefined) return Promise.resolve(null);
    const age = this.clock.now - stored.storedAt;
    if (age >= stored.ttlMs + stored.swrMs) {
      this.entries.delete(key);
      return Promise.resolve(null);
    }
    return Promise.resolve({ body: stored.body.slice(), meta: stored.meta, stale: age >= stored.ttlMs });
  }

  /** No collapsing here: the profile tests never fill. */
  async lookupOrFill(key: string): Promise<EdgeCacheClaim> {
    const entry = await this.lookup(key);
    return entry ? { entry, fill: null } : { entry: null, fill: null };
  }

  insert(key: string, body: Uint8Array, options: EdgeCacheInsert): Promise<void> {
    this.inserted.push(key);
    this.entries.set(key, { body: body.slice(), meta: options.meta ?? '', storedAt: this.clock.now, ttlMs: options.ttlMs, swrMs: options.swrMs ?? 0 });
    return Promise.resolve();
  }

  purgeSurrogateKey(): Promise<void> {
    return Promise.resolve();
  }

  /** The stored body as text, for assertions on what was written. */
  text(key: string): string | null {
    const stored = this.entries.get(key);
    return stored === undefined ? null : new TextDecoder().decode(stored.body);
  }
}
