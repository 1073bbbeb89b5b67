/**
 * A guest worker's answers to fresh HTTP cache hits (http-cache-hits.ts): the objects the store
 * answered this worker with, each with its cell and generation, so the next lookup of the key is
 * answered here while the object is unchanged in the store and still fresh, without the blocking
 * round trip (~40–60 µs of the worker's CPU each, 3–4 a page). An object stored as a variant is
 * answered while the `Vary` marker that led to it is unchanged too, its key computed as the store does.
 */
import { HttpCacheState } from './abi.ts';
import { variantOf, type FoundObject, type HttpCacheLookup, type KeptObject } from './http-cache-objects.ts';
import type { HeaderPairs } from './guest-headers.ts';
import type { HttpCacheHits } from './http-cache-hits.ts';

/** Keys a worker keeps at most; past it, it starts over (a flood of keys costs round trips, not memory). */
const MAX_KEPT = 512;

interface Kept extends KeptObject {
  object: Omit<FoundObject, 'ageMs' | 'hits'>;
}

export class KeptHttpHits {
  /** Objects by the key the store holds them under: the lookup's key, or a variant of it. */
  private readonly objects = new Map<string, Kept>();
  /** `Vary` markers by the lookup's key, so a variant's key is computed here as the store computes it. */
  private readonly markers = new Map<string, NonNullable<KeptObject['marker']>>();

  constructor(
    private readonly hits: HttpCacheHits,
    private readonly now: () => number = Date.now,
  ) {}

  /** The store's answer for a fresh hit on `key` for a request with `headers`, when this worker can give it exactly; otherwise null. */
  answer(key: string, headers: HeaderPairs): HttpCacheLookup | null {
    const marker = this.markers.get(key);
    const kept = this.objects.get(marker ? variantOf(key, headers, marker.names) : key);
    if (!kept) return null;
    const { object: o } = kept;
    // Fresh while initialAgeMs + (now − storedAt) < maxAgeMs: whole milliseconds, so exactly the store's test.
    const freshUntil = kept.storedAt + o.maxAgeMs - o.initialAgeMs;
    const hits = this.hits.tryHit(kept.cell, kept.gen, freshUntil, this.now, kept.marker?.cell ?? -1, kept.marker?.gen ?? 0);
    if (hits === null) return null;
    const ageMs = o.initialAgeMs + (this.hits.at - kept.storedAt);
    // Named fields, no spread: an object spread is a slow path the first time in each instance (~10 µs).
    const found: FoundObject = {
      status: o.status, headers: o.headers, body: o.body, maxAgeMs: o.maxAgeMs, initialAgeMs: o.initialAgeMs, swrMs: o.swrMs, sieMs: o.sieMs,
      surrogateKeys: o.surrogateKeys, vary: o.vary, sensitive: o.sensitive, hits, ageMs,
    };
    return { state: HttpCacheState.found | HttpCacheState.usable, found, servable: true, token: null };
  }

  /** Keeps what the store answered for `key` and `headers`, when it says the object can be answered here. */
  keep(key: string, headers: HeaderPairs, reply: HttpCacheLookup): void {
    const { kept, found } = reply;
    if (!kept || !found) return;
    if (this.objects.size >= MAX_KEPT) {
      this.objects.clear();
      this.markers.clear();
    }
    const { ageMs: _age, hits: _hits, ...object } = found;
    if (kept.marker) this.markers.set(key, kept.marker);
    else this.markers.delete(key);
    this.objects.set(kept.marker ? variantOf(key, headers, kept.marker.names) : key, { ...kept, object });
  }
}
