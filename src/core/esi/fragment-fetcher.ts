/**
 * Fetches one fragment for an include: a bodiless `GET` carrying only headers the edge sets
 * (nothing from the client: no Cookie, no Authorization, no client IP), through the readthrough
 * cache unless per-visitor, with the timeout covering the whole body and a 256 KiB cap on the
 * decoded body, which also stops decompression bombs (backend-call.ts). A body whose media type is
 * not one the page accepts (`text/html` unless configured) is a failed include: an error page or a
 * JSON answer served with 200 must not be stitched into the HTML. Failure is a value.
 */
import type { BackendName, Deps } from '../ports.ts';
import { callBackend, type BackendAnswer } from '../backend/backend-call.ts';
import { decodeBody } from '../http/content-encoding.ts';
import { freshnessLeftMs } from '../http/cache-ttl.ts';
import { storedSurrogateKeys } from '../http/storage-policy.ts';
import { MAX_FRAGMENT_BYTES } from './esi-limits.ts';
import { DEFAULT_SETTINGS } from '../config/settings.ts';
import type { FragmentCacheState } from '../log/vocabulary.ts';
import { CANDIDATES_ACCEPT, CANDIDATE_TYPES } from './ranked-include.ts';

export type FragmentCache = FragmentCacheState;

/**
 * What a fragment's URL is read for: a WHATWG `URL`, or for a plain path on the page's host the
 * same parts worked out without the URL parser (include-targets.ts), which inside the Wasm guest
 * costs tens of microseconds per include, its getters a few more each.
 */
export type FragmentUrl = Pick<URL, 'href' | 'protocol' | 'host' | 'pathname' | 'search'>;

export interface FragmentRequest {
  url: FragmentUrl;
  backend: BackendName;
  perVisitor: boolean;
  timeoutMs: number;
  /** A ranked include's candidate document (compact or JSON), re-ranked and rendered by the edge, never inserted as is. */
  candidates?: boolean;
}

export type FragmentResult =
  | { ok: true; body: Uint8Array; cache: FragmentCache; ttlMs: number | null; surrogateKeys: string[]; /** A candidate document's media type. */ mediaType?: string }
  | { ok: false; reason: 'timeout' | 'error' | 'status' | 'content-type' | 'too-large'; cache: FragmentCache };

export type FragmentFetcher = (request: FragmentRequest) => Promise<FragmentResult>;

export interface FragmentFetcherOptions {
  fetchBackend: Deps['fetchBackend'];
  /** The normalized locale, sent as Accept-Language. */
  locale: string;
  cacheKeyFor: (url: FragmentUrl) => string;
  now: () => number;
  /** Media types (`type/subtype`, lower case) a fragment may have; the default is `text/html`. */
  acceptedTypes?: readonly string[];
}

export function createFragmentFetcher(options: FragmentFetcherOptions): FragmentFetcher {
  return async (request) => {
    const missCache: FragmentCache = request.perVisitor ? 'PASS' : 'MISS';
    try {
      const headers = { accept: request.candidates === true ? CANDIDATES_ACCEPT : 'text/html', 'accept-encoding': 'identity', 'accept-language': options.locale };
      const backendRequest = { url: request.url.href, headers };
      const call = await callBackend(options, {
        backend: request.backend,
        request: backendRequest,
        timeoutMs: request.timeoutMs,
        // Fields written out, not an object spread: in the Wasm guest a spread runs interpreted code.
        pass: request.perVisitor,
        cacheKey: request.perVisitor ? undefined : options.cacheKeyFor(request.url),
      });
      if (!call.ok) return { ok: false, reason: call.reason === 'timeout' ? 'timeout' : 'error', cache: missCache };
      return await classify(call, request.backend, request.perVisitor, request.candidates === true ? CANDIDATE_TYPES : (options.acceptedTypes ?? DEFAULT_SETTINGS.fragmentTypes));
    } catch {
      return { ok: false, reason: 'error', cache: missCache };
    }
  };
}

/** Settled at once on a refusal; otherwise the body read, without an `async` layer (each promise costs ~10 µs in the guest). */
function classify(call: BackendAnswer, backend: BackendName, perVisitor: boolean, acceptedTypes: readonly string[]): FragmentResult | Promise<FragmentResult> {
  const { response } = call;
  const cache: FragmentCache = call.cache === 'STALE' ? 'HIT' : call.cache;
  if (response.status !== 200) return call.discard({ ok: false, reason: 'status', cache });
  const type = mediaType(response.headers.get('content-type'));
  if (!acceptedTypes.includes(type)) return call.discard({ ok: false, reason: 'content-type', cache });
  const decoded = decodeBody(response);
  if (!decoded.ok) return call.discard({ ok: false, reason: 'error', cache });
  return call.read(MAX_FRAGMENT_BYTES, decoded.body, (body): FragmentResult => {
    if (!body.ok) return { ok: false, reason: body.reason, cache };
    const ttlMs = perVisitor ? null : freshnessLeftMs(response.headers);
    // The keys the readthrough cache files the object under (the origin's and the tier's): worked
    // out here from the origin's header on every host, so no host rewrites the header for it.
    const surrogateKeys = storedSurrogateKeys(backend, response.headers);
    // A candidate document's type picks its reader (compact or JSON); other fragments need none.
    return acceptedTypes === CANDIDATE_TYPES ? { ok: true, body: body.bytes, cache, ttlMs, surrogateKeys, mediaType: type } : { ok: true, body: body.bytes, cache, ttlMs, surrogateKeys };
  });
}

/** `type/subtype` without parameters, lower case (RFC 9110 §8.3.1); none at all is not a type we take. */
function mediaType(contentType: string | null): string {
  return contentType === null ? '' : (contentType.split(';')[0] ?? '').trim().toLowerCase();
}
