/**
 * How long an origin response may be shared at the edge (docs/contracts.md#templates): `Surrogate-Control: max-age`
 * over `Cache-Control: s-maxage` over `max-age`; null when it must not be shared at all
 * (`Set-Cookie`, `private`, `no-store`, `no-cache`) or when no lifetime is given.
 *
 * Written for the Wasm guest, where this runs for every fetched template and fragment and every
 * JavaScript operation is interpreted: each header read once, each value read by the fast path of
 * cache-directives.ts when it is a plain one.
 */
import { cacheDirectives, parseSeconds, type CacheDirectives } from './cache-directives.ts';
import type { HeaderReader } from './header-reader.ts';

/** The caching headers of one response, each read once. */
export interface CachingHeaders {
  setCookie: boolean;
  cacheControl: CacheDirectives;
  surrogateControl: CacheDirectives;
}

export function cachingHeaders(headers: HeaderReader): CachingHeaders {
  return {
    setCookie: headers.has('set-cookie'),
    cacheControl: cacheDirectives(headers.get('cache-control')),
    surrogateControl: cacheDirectives(headers.get('surrogate-control')),
  };
}

export function responseTtlMs(headers: HeaderReader): number | null {
  return ttlMsOf(cachingHeaders(headers));
}

/**
 * What is left of a response's shared lifetime once its `Age` is taken off (the current age of
 * RFC 9111 §4.2.3): a page stored from a template or fragment that has sat in the edge cache for
 * 50 of its 60 minutes must not be kept for another 60. Null when nothing is left, or none was given.
 */
export function freshnessLeftMs(headers: HeaderReader): number | null {
  const ttlMs = responseTtlMs(headers);
  if (ttlMs === null) return null;
  const left = ttlMs - (parseSeconds(headers.get('age') ?? undefined) ?? 0) * 1000;
  return left > 0 ? left : null;
}

/** `responseTtlMs` over headers already read. */
export function ttlMsOf({ setCookie, cacheControl, surrogateControl }: CachingHeaders): number | null {
  if (setCookie || unshareable(cacheControl) !== null) return null;
  const seconds = surrogateControl.maxAge ?? cacheControl.sMaxage ?? cacheControl.maxAge;
  return seconds === null ? null : seconds * 1000;
}

/** The first Cache-Control directive that keeps a response to one visitor, or null. */
export function unshareable(cacheControl: CacheDirectives): 'private' | 'no-store' | 'no-cache' | null {
  if (cacheControl.isPrivate) return 'private';
  if (cacheControl.noStore) return 'no-store';
  return cacheControl.noCache ? 'no-cache' : null;
}
