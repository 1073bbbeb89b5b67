/**
 * A guest worker's answers to core cache hits (core-cache-store.ts): the objects the store answered
 * this worker with, each with its cell and generation, so the next lookup of the key is answered here
 * while the object is unchanged in the store and not expired, without the blocking round trip. The
 * test is the store's own: expired when `now − storedAt ≥ ttl + swr` (the store then deletes it, so
 * the worker asks), stale when `now − storedAt ≥ ttl`, with `now` read under the cells' lock.
 *
 * The main thread handles a worker's posts before that worker's later call, so a lookup after this
 * worker's own insert or purge must see it: the worker forgets everything it kept whenever it posts
 * one (`forgetAll`), and the next lookup asks the store, which has handled the post by then.
 */
import type { HttpCacheHits } from './http-cache-hits.ts';
import type { CacheLookupReply, KeptCoreObject } from './rpc-messages.ts';

/** Keys a worker keeps at most; past it, it starts over (a flood of keys costs round trips, not memory). */
const MAX_KEPT = 512;

interface Kept extends KeptCoreObject {
  body: Uint8Array;
  meta: string;
}

export class KeptCoreHits {
  private readonly objects = new Map<string, Kept>();

  constructor(
    private readonly hits: HttpCacheHits,
    private readonly now: () => number = Date.now,
  ) {}

  /** The store's answer for `key`, when this worker can give it exactly; otherwise null. */
  answer(key: string): CacheLookupReply | null {
    const kept = this.objects.get(key);
    if (!kept) return null;
    if (this.hits.tryHit(kept.cell, kept.gen, kept.storedAt + kept.ttlMs + kept.swrMs, this.now) === null) return null;
    return { found: true, body: kept.body, meta: kept.meta, stale: this.hits.at - kept.storedAt >= kept.ttlMs };
  }

  /** Keeps what the store answered for `key`, when it says the object can be answered here. */
  keep(key: string, reply: CacheLookupReply): void {
    if (!reply.found || !reply.kept) {
      this.objects.delete(key);
      return;
    }
    if (this.objects.size >= MAX_KEPT) this.objects.clear();
    const { cell, gen, storedAt, ttlMs, swrMs } = reply.kept;
    this.objects.set(key, { cell, gen, storedAt, ttlMs, swrMs, body: reply.body, meta: reply.meta });
  }

  /** This worker is about to post an insert or a purge: its next lookups ask the store, which will have handled it. */
  forgetAll(): void {
    this.objects.clear();
  }
}
