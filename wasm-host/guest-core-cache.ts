/**
 * Core cache transactions (`fastly_cache.transaction_*`, CoreCache.transactionLookup on Compute)
 * over the Node host's edge cache, on the main thread so every guest instance shares them: of the
 * concurrent transactional lookups of a key that has no usable object, one is told to insert (it
 * holds a token) and the others wait until it inserts or gives the token up; then the next one in
 * line is told to insert. A stale object is served at once, and one lookup is asked to refresh it.
 */
import type { EdgeCache, EdgeCacheInsert } from '../src/core/ports.ts';
import { FillLeaders } from './fill-leaders.ts';

export type CoreCacheTransaction =
  | { found: false; token: number | null }
  | { found: true; body: Uint8Array; meta: string; stale: boolean; token: number | null };

export class CoreCacheTransactions {
  private readonly leaders = new FillLeaders();

  constructor(private readonly cache: EdgeCache) {}

  /** Resolves once this lookup has an object or the obligation to insert one (it may wait for another's). */
  async lookup(key: string): Promise<CoreCacheTransaction> {
    for (;;) {
      const entry = await this.cache.lookup(key);
      const led = this.leaders.isLed(key);
      if (entry) {
        const token = entry.stale && !led ? this.leaders.lead(key) : null;
        return { found: true, ...entry, token };
      }
      if (!led) return { found: false, token: this.leaders.lead(key) };
      await this.leaders.released(key);
    }
  }

  /** Stores what the holder of `token` inserts, then wakes the lookups waiting on the key. */
  async insert(token: number, body: Uint8Array, options: EdgeCacheInsert): Promise<void> {
    const key = this.leaders.keyOf(token);
    if (key === undefined) return;
    await this.cache.insert(key, body, options);
    this.leaders.release(token);
  }

  /** Ends an obligation without an insert (cancel, close, a guest that ended); unknown tokens are ignored. */
  release(token: number): void {
    this.leaders.release(token);
  }
}
