/**
 * What the edge keeps of one template or fragment response in the readthrough (HTTP) cache,
 * decided per response on top of the platform's own reading of its headers. On Compute it runs in
 * the `afterSend` hook of the HTTP cache API; the Node host applies the same decision in its
 * emulation, so both store the same objects for the same time under the same surrogate keys.
 *
 * - A response meant for one visitor (`Set-Cookie`, `private`, `no-store`, `no-cache`) is never
 *   stored, and is recorded as uncacheable so later requests skip request collapsing.
 * - A 404 or 410 is kept at most a minute: a page published later must not hide behind the
 *   platform's default hour (Fastly caches these statuses by default).
 * - Every object may be served stale for at least 30 s while one request refreshes it, so a soft
 *   purge (which only marks objects stale) answers the next visitors at once from the old copy.
 * - Surrogate keys: the origin's (capped) plus one per tier (`edge-templates`, `edge-fragments`),
 *   so one purge reaches every template or every fragment, and every page built from them. An
 *   origin's key named like a tier's is dropped, so a tier key reaches its own tier only: a purge
 *   of `edge-pages` (which every assembled page carries, page-finish.ts) leaves the parts fresh.
 */
import type { BackendName } from '../ports.ts';
import { cachingHeaders, ttlMsOf, unshareable } from './cache-ttl.ts';
import { MAX_SURROGATE_KEYS, surrogateKeysOf } from './surrogate-keys.ts';

export const NEGATIVE_TTL_SECONDS = 60;
export const STALE_GRACE_SECONDS = 30;
const NEGATIVE_STATUSES = new Set([404, 410]);

/** The surrogate key every object of a tier carries. */
export function tierSurrogateKey(backend: BackendName): string {
  return `edge-${backend}`;
}

/** The tier key of the assembled pages in the page cache: its purge drops every page and no part. */
export const PAGE_TIER_KEY = 'edge-pages';
/** Keys only the edge gives: an origin's own key of one of these names is not kept. */
const TIER_KEYS: ReadonlySet<string> = new Set([tierSurrogateKey('templates'), tierSurrogateKey('fragments'), tierSurrogateKey('profiles'), PAGE_TIER_KEY]);

export type StorageDecision =
  | { store: false; reason: string }
  /** `ttlSeconds` null keeps the platform's TTL (from the headers, or its default). */
  | { store: true; ttlSeconds: number | null; swrSeconds: number; surrogateKeys: string[] };

/**
 * Reads only the response's status and headers: js-compute aborts the guest on the `ttl` getter of
 * a response whose lifetime is used up and on the `surrogateKeys` getter of one without
 * `Surrogate-Key` (both read an empty optional), so the hook never asks the response.
 */
export function storageDecision(backend: BackendName, status: number, headers: Headers): StorageDecision {
  // Each header is read once: in the Wasm guest every read of a backend response is a hostcall.
  const caching = cachingHeaders(headers);
  if (caching.setCookie) return { store: false, reason: 'set-cookie' };
  const private_ = unshareable(caching.cacheControl);
  if (private_) return { store: false, reason: `cache-control ${private_}` };
  const surrogate = caching.surrogateControl;
  if (surrogate.noStore) return { store: false, reason: 'surrogate-control no-store' };
  const ttlMs = ttlMsOf(caching);
  const swr = surrogate.staleWhileRevalidate ?? caching.cacheControl.staleWhileRevalidate ?? 0;
  return {
    store: true,
    ttlSeconds: NEGATIVE_STATUSES.has(status) ? Math.min(ttlMs === null ? NEGATIVE_TTL_SECONDS : ttlMs / 1000, NEGATIVE_TTL_SECONDS) : null,
    swrSeconds: Math.max(swr, STALE_GRACE_SECONDS),
    surrogateKeys: storedSurrogateKeys(backend, headers),
  };
}

/** The keys an object of `backend` is stored under: the origin's own but a tier's (capped), then the tier's. */
export function storedSurrogateKeys(backend: BackendName, headers: Headers): string[] {
  const keys = surrogateKeysOf(headers, TIER_KEYS, MAX_SURROGATE_KEYS - 1);
  keys.push(tierSurrogateKey(backend));
  return keys;
}
