/**
 * The store behind `fastly_http_cache` (the HTTP cache API a guest built with `--enable-http-cache`
 * drives itself): transaction lookups with request collapsing, inserts carrying the guest's own
 * TTL, stale-while-revalidate, stale-if-error and surrogate keys, hit-for-pass records, `Vary`, and
 * hard or soft surrogate-key purges. It lives on the main thread, so every guest instance shares
 * it, and it keeps the Node host's byte-capped LRU.
 */
import { keyBytes } from '../src/local-platform/byte-lru.ts';
import { DEFAULT_CACHE_BYTES } from '../src/local-platform/memory-edge-cache.ts';
import { HttpCacheState } from './abi.ts';
import { FillLeaders } from './fill-leaders.ts';
import type { HeaderPairs } from './guest-headers.ts';
import { variantOf } from './http-cache-objects.ts';
import type { FoundObject, HttpCacheLookup, HttpCacheWrite, KeptObject, Slot, StoredObject, StoredResponse, VaryMarker } from './http-cache-objects.ts';
import { StoreCells, TrackedLru } from './http-cache-cells.ts';
import type { HttpCacheHits } from './http-cache-hits.ts';

export class GuestHttpCache {
  private readonly store: TrackedLru<Slot>;
  private readonly leaders = new FillLeaders();
  /** Objects' cells in the shared hits, when workers answer fresh hits themselves (http-cache-cells.ts). */
  private readonly cells: StoreCells<StoredObject | VaryMarker> | null;

  /** With `hits`, workers answer fresh hits themselves (kept-http-hits.ts) on `Date.now`, which `clock` must then be. */
  constructor(
    maxBytes = DEFAULT_CACHE_BYTES,
    private readonly clock: () => number = Date.now,
    hits: HttpCacheHits | null = null,
  ) {
    this.store = new TrackedLru<Slot>(maxBytes, (slot) => {
      if (slot.kind !== 'pass') this.cells?.forget(slot);
    });
    this.cells = hits && new StoreCells(hits, (key) => this.store.get(key));
  }

  /** Looks `baseKey` up for a request with `headers`; waits while another instance fills the same object. */
  async lookup(baseKey: string, headers: HeaderPairs): Promise<HttpCacheLookup> {
    for (;;) {
      const answer = this.exclusive(() => this.lookupNow(baseKey, headers));
      if (typeof answer !== 'string') return answer;
      await this.leaders.released(answer);
    }
  }

  /** The answer now, or the key whose filling it must wait for. */
  private lookupNow(baseKey: string, headers: HeaderPairs): HttpCacheLookup | string {
    const key = this.variantKey(baseKey, headers);
    const slot = this.store.get(key);
    if (slot?.kind === 'pass' && slot.until > this.clock()) return { state: 0, found: null, servable: false, token: null };
    const leading = this.leaders.isLed(key);
    if (slot?.kind === 'object') {
      const found = this.foundNow(slot);
      const fresh = found.ageMs < slot.maxAgeMs;
      if (fresh || found.ageMs < slot.maxAgeMs + slot.swrMs) {
        if (!this.cells?.countHit(slot)) slot.hits += 1;
        if (fresh) return { state: HttpCacheState.found | HttpCacheState.usable, found, servable: true, token: null, ...this.keptAs(slot, baseKey, key) };
        const token = leading ? null : this.leaders.lead(key);
        const must = token === null ? 0 : HttpCacheState.mustInsertOrUpdate;
        return { state: HttpCacheState.found | HttpCacheState.usable | HttpCacheState.stale | must, found, servable: true, token };
      }
      if (!leading && found.ageMs < slot.maxAgeMs + slot.sieMs) {
        const state = HttpCacheState.found | HttpCacheState.stale | HttpCacheState.usableIfError | HttpCacheState.mustInsertOrUpdate;
        return { state, found, servable: false, token: this.leaders.lead(key) };
      }
    }
    if (!leading) return { state: HttpCacheState.mustInsertOrUpdate, found: null, servable: false, token: this.leaders.lead(key) };
    return key;
  }

  /** Stores the object the holder of `token` fetched, under the variant its `Vary` selects. */
  insert(token: number, baseKey: string, requestHeaders: HeaderPairs, response: StoredResponse, write: HttpCacheWrite): void {
    this.exclusive(() => this.insertNow(token, baseKey, requestHeaders, response, write));
  }

  private insertNow(token: number, baseKey: string, requestHeaders: HeaderPairs, response: StoredResponse, write: HttpCacheWrite): void {
    const variant = this.variantKey(baseKey, requestHeaders, write.vary);
    const marker: VaryMarker = { kind: 'vary', names: write.vary };
    if (write.vary.length > 0 && this.store.set(baseKey, marker, keyBytes(baseKey) + 64)) this.cells?.give(marker, baseKey);
    const object: StoredObject = { kind: 'object', ...response, ...write, storedAt: this.clock(), hits: 0 };
    const headerBytes = response.headers.reduce((sum, [name, value]) => sum + (name.length + value.length) * 2, 0);
    if (this.store.set(variant, object, response.body.byteLength + headerBytes + keyBytes(variant), write.surrogateKeys)) this.cells?.give(object, variant);
    this.release(token);
  }

  /** Freshens the stored object (a revalidation answered 304) with new headers and lifetimes; its body stays. */
  update(token: number, baseKey: string, requestHeaders: HeaderPairs, head: Omit<StoredResponse, 'body'>, write: HttpCacheWrite): void {
    this.exclusive(() => {
      const slot = this.store.get(this.variantKey(baseKey, requestHeaders));
      if (slot?.kind === 'object') this.insertNow(token, baseKey, requestHeaders, { ...head, body: slot.body }, write);
      else this.release(token);
    });
  }

  /** Remembers for `maxAgeMs` that the object is uncacheable, so later lookups go straight to the origin. */
  recordPass(token: number, baseKey: string, requestHeaders: HeaderPairs, maxAgeMs: number): void {
    this.exclusive(() => {
      const key = this.variantKey(baseKey, requestHeaders);
      if (maxAgeMs > 0) this.store.set(key, { kind: 'pass', until: this.clock() + maxAgeMs }, keyBytes(key) + 32);
      this.release(token);
    });
  }

  /** Gives up the obligation to fill; the next waiter takes it over. Unknown tokens are ignored. */
  release(token: number): void {
    this.leaders.release(token);
  }

  /**
   * Drops every object tagged `tag`, or with `soft` marks them stale from now on: they stay usable
   * for their stale-while-revalidate and stale-if-error windows, so a stale copy beats none.
   */
  purge(tag: string, soft: boolean): number {
    return this.exclusive(() => {
      const keys = this.store.keysTagged(tag);
      for (const key of keys) {
        const slot = this.store.peek(key);
        if (!soft || slot?.kind !== 'object') this.store.delete(key);
        else {
          slot.maxAgeMs = Math.min(slot.maxAgeMs, this.foundNow(slot).ageMs);
          this.cells?.changed(slot);
        }
      }
      return keys.length;
    });
  }

  private foundNow(slot: StoredObject): FoundObject {
    const { kind: _kind, storedAt, ...rest } = slot;
    return { ...rest, hits: this.cells?.hitsOf(slot) ?? slot.hits, ageMs: slot.initialAgeMs + (this.clock() - storedAt) };
  }

  /** Runs a store operation under the workers' lock, their hits replayed first (http-cache-hits.ts). */
  private exclusive<T>(op: () => T): T {
    return this.cells ? this.cells.exclusive(op) : op();
  }

  /** What a worker needs to answer this object's next fresh hits itself, with the `Vary` marker that led to it. */
  private keptAs(slot: StoredObject, baseKey: string, key: string): { kept?: KeptObject } {
    const kept = this.cells?.kept(slot, slot.storedAt);
    if (!kept || key === baseKey) return kept ? { kept } : {};
    const marker = this.store.peek(baseKey);
    const at = marker?.kind === 'vary' ? this.cells?.kept(marker, 0) : undefined;
    return marker?.kind === 'vary' && at ? { kept: { ...kept, marker: { cell: at.cell, gen: at.gen, names: marker.names } } } : {};
  }

  private variantKey(baseKey: string, headers: HeaderPairs, names?: readonly string[]): string {
    const marker = names ? undefined : this.store.peek(baseKey);
    return variantOf(baseKey, headers, names ?? (marker?.kind === 'vary' ? marker.names : []));
  }
}
