/**
 * Emulates Fastly's readthrough (HTTP) cache for backend fetches, which Viceroy lacks: TTL and
 * stale-while-revalidate from the origin's headers (cache-policy.ts), request collapsing of
 * concurrent misses, surrogate-key purges, `Vary`, and a byte-capped LRU. Only GET is cached.
 */
import type { BackendResponse } from '../core/ports.ts';
import { ByteLru, keyBytes } from './byte-lru.ts';
import { cachePolicy } from './cache-policy.ts';
import type { CachePolicy } from './cache-policy.ts';
import { SharedBody } from './shared-body.ts';
import { DEFAULT_CACHE_BYTES } from './memory-edge-cache.ts';

export const DEFAULT_OBJECT_BYTES = 8 * 1024 * 1024;

export interface ReadthroughOptions {
  /** Byte cap of the whole cache (default 64 MiB). */
  maxBytes?: number;
  /** Bodies larger than this are served but never stored (default 8 MiB). */
  maxObjectBytes?: number;
  /** Milliseconds clock; Date.now by default (tests pass a fake). */
  clock?: () => number;
}

/** Performs the origin request; called again for each revalidation or uncollapsed waiter. */
export type OriginFetch = () => Promise<Response>;

type Storable = Extract<CachePolicy, { store: true }>;

/**
 * The per-response decision a Compute guest makes in its `afterSend` hook: given the response and
 * what the platform's caching rules suggest, what is stored. The stored copy, and the response
 * handed back, then carry the decided surrogate keys.
 */
export type StorageAdjust = (response: Response, suggested: Storable) => CachePolicy;

interface CachedObject {
  kind: 'object';
  status: number;
  statusText: string;
  headers: [string, string][];
  body: Uint8Array;
  storedAt: number;
  initialAgeSeconds: number;
  ttlSeconds: number;
  swrSeconds: number;
}

/** Stored under the base key when the origin sent `Vary`: which request headers select the variant. */
interface VaryMarker {
  kind: 'vary';
  names: string[];
}

interface Inflight {
  /** The shared body once headers are known to be storable; null sends waiters to the origin. */
  decided: Promise<{ shared: SharedBody; response: Response; vary: readonly string[]; variant: string } | null>;
}

export class ReadthroughCache {
  private readonly store: ByteLru<CachedObject | VaryMarker>;
  private readonly inflight = new Map<string, Inflight>();
  private readonly revalidating = new Set<string>();
  private readonly background = new Set<Promise<void>>();
  private readonly maxObjectBytes: number;
  private readonly clock: () => number;

  constructor(options: ReadthroughOptions = {}) {
    this.store = new ByteLru(options.maxBytes ?? DEFAULT_CACHE_BYTES);
    this.maxObjectBytes = options.maxObjectBytes ?? DEFAULT_OBJECT_BYTES;
    this.clock = options.clock ?? Date.now;
  }

  get bytes(): number {
    return this.store.bytes;
  }

  async fetch(baseKey: string, request: Request, origin: OriginFetch, adjust?: StorageAdjust): Promise<BackendResponse> {
    if (request.method !== 'GET') return { response: await origin(), cache: 'PASS' };
    const key = this.variantKey(baseKey, request);
    const found = this.store.get(key);
    if (found?.kind === 'object') {
      const age = this.ageSeconds(found);
      if (age < found.ttlSeconds) return { response: materialize(found, age), cache: 'HIT' };
      if (age < found.ttlSeconds + found.swrSeconds) {
        this.revalidate(baseKey, key, request, origin, adjust);
        return { response: materialize(found, age), cache: 'STALE' };
      }
      this.store.delete(key);
    }
    const inflight = this.inflight.get(key);
    if (inflight) return this.join(inflight, baseKey, request, origin);
    return this.fill(baseKey, key, request, origin, adjust);
  }

  /**
   * Drops every object tagged with `tag` (its Surrogate-Key header), or with `soft` marks them stale
   * from now on: still served inside their stale-while-revalidate window while one request
   * refreshes them, as Fastly's soft purge does, so a stale copy beats none.
   */
  purgeSurrogateKey(tag: string, soft = false): number {
    if (!soft) return this.store.purgeTag(tag);
    const keys = this.store.keysTagged(tag);
    for (const key of keys) {
      const object = this.store.peek(key);
      if (object?.kind === 'object') object.ttlSeconds = Math.min(object.ttlSeconds, this.ageSeconds(object));
    }
    return keys.length;
  }

  /** Resolves once background revalidations have finished. */
  async idle(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  private async fill(baseKey: string, key: string, request: Request, origin: OriginFetch, adjust?: StorageAdjust): Promise<BackendResponse> {
    let decide: (value: Awaited<Inflight['decided']>) => void = () => undefined;
    this.inflight.set(key, { decided: new Promise((resolve) => (decide = resolve)) });
    const settle = (): void => {
      this.inflight.delete(key);
      decide(null);
    };
    let response: Response;
    try {
      response = await origin();
    } catch (error) {
      settle();
      throw error;
    }
    const policy = this.policyOf(response, adjust);
    if (!policy.store) {
      settle();
      return { response, cache: 'MISS' };
    }
    if (adjust) response = tagged(response, policy.surrogateKeys);
    const variant = this.variantKey(baseKey, request, policy.vary);
    const shared = new SharedBody(this.maxObjectBytes, () => this.inflight.delete(key));
    decide({ shared, response, vary: policy.vary, variant });
    const first = new Response(shared.subscribe(), response);
    const filled = shared.pump(response.body).then((body) => {
      if (this.inflight.get(key) !== undefined) this.inflight.delete(key);
      if (!body) return;
      if (policy.vary.length > 0) this.store.set(baseKey, { kind: 'vary', names: policy.vary }, keyBytes(baseKey) + 64);
      this.put(variant, response, body, policy);
    });
    this.track(filled);
    return { response: first, cache: 'MISS' };
  }

  /** A collapsed waiter: shares the first request's body unless it was unstorable or varies differently. */
  private async join(inflight: Inflight, baseKey: string, request: Request, origin: OriginFetch): Promise<BackendResponse> {
    const decided = await inflight.decided;
    const sameVariant = decided !== null && this.variantKey(baseKey, request, decided.vary) === decided.variant;
    if (!decided || decided.shared.oversized || !sameVariant) return { response: await origin(), cache: 'MISS' };
    return { response: new Response(decided.shared.subscribe(), decided.response), cache: 'HIT' };
  }

  /** Serves on while one background request refreshes the object; a failure keeps the old copy. */
  private revalidate(baseKey: string, key: string, request: Request, origin: OriginFetch, adjust?: StorageAdjust): void {
    if (this.revalidating.has(key)) return;
    this.revalidating.add(key);
    const work = (async () => {
      try {
        let response = await origin();
        const policy = this.policyOf(response, adjust);
        if (!policy.store) {
          await response.body?.cancel();
          return;
        }
        if (adjust) response = tagged(response, policy.surrogateKeys);
        const body = await new SharedBody(this.maxObjectBytes, () => undefined).pump(response.body);
        if (body) this.put(this.variantKey(baseKey, request, policy.vary), response, body, policy);
      } catch {
        // The stale copy stays until its stale-while-revalidate window ends.
      } finally {
        this.revalidating.delete(key);
      }
    })();
    this.track(work);
  }

  private policyOf(response: Response, adjust?: StorageAdjust): CachePolicy {
    const suggested = cachePolicy(response, this.clock());
    return suggested.store && adjust ? adjust(response, suggested) : suggested;
  }

  private put(key: string, response: Response, body: Uint8Array, policy: Storable): void {
    const headers = [...response.headers].filter(([name]) => name !== 'age');
    const object: CachedObject = {
      kind: 'object',
      status: response.status,
      statusText: response.statusText,
      headers,
      body,
      storedAt: this.clock(),
      initialAgeSeconds: policy.initialAgeSeconds,
      ttlSeconds: policy.ttlSeconds,
      swrSeconds: policy.swrSeconds,
    };
    const headerBytes = headers.reduce((sum, [name, value]) => sum + (name.length + value.length) * 2, 0);
    this.store.set(key, object, body.byteLength + headerBytes + keyBytes(key), policy.surrogateKeys);
  }

  /** The base key plus the request's values of the headers the origin varies on. */
  private variantKey(baseKey: string, request: Request, names?: readonly string[]): string {
    const marker = names ? undefined : this.store.get(baseKey);
    const vary = names ?? (marker?.kind === 'vary' ? marker.names : []);
    return vary.length === 0 ? baseKey : `${baseKey}\n${varyValues(request, vary)}`;
  }

  private ageSeconds(object: CachedObject): number {
    return object.initialAgeSeconds + Math.floor((this.clock() - object.storedAt) / 1000);
  }

  private track(work: Promise<void>): void {
    this.background.add(work);
    void work.finally(() => this.background.delete(work));
  }
}

/** The response with `Surrogate-Key` set to the keys it is stored under. */
function tagged(response: Response, keys: readonly string[]): Response {
  const headers = new Headers(response.headers);
  if (keys.length > 0) headers.set('surrogate-key', keys.join(' '));
  else headers.delete('surrogate-key');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

function varyValues(request: Request, names: readonly string[]): string {
  return JSON.stringify(names.map((name) => request.headers.get(name)));
}

function materialize(object: CachedObject, ageSeconds: number): Response {
  const headers = new Headers(object.headers);
  headers.set('age', String(ageSeconds));
  return new Response(object.body.slice(), { status: object.status, statusText: object.statusText, headers });
}
