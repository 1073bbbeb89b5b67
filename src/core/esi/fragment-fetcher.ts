/**
 * Fetches one fragment for an include (DESIGN §5.3 "Fetching"): a bodiless `GET` carrying only
 * headers the edge sets (nothing from the client: no Cookie, no Authorization, no client IP),
 * through the readthrough cache unless per-visitor, with the timeout covering the whole body
 * (js-compute-runtime #1289: no AbortSignal on fetch, so every step races a timer) and a
 * 256 KiB cap on the decoded body, which also stops decompression bombs. Failure is a value.
 */
import type { BackendName, Deps } from '../ports.ts';
import { startDeadline, TIMED_OUT } from '../profile/deadline.ts';
import { readCappedBody } from '../profile/read-capped-body.ts';
import { decodeBody } from '../http/content-encoding.ts';
import { responseTtlMs } from '../http/cache-ttl.ts';
import { MAX_FRAGMENT_BYTES } from './esi-limits.ts';

export type FragmentCache = 'HIT' | 'MISS' | 'PASS';

export interface FragmentRequest {
  url: URL;
  backend: BackendName;
  perVisitor: boolean;
  timeoutMs: number;
}

export type FragmentResult =
  | { ok: true; body: Uint8Array; cache: FragmentCache; ttlMs: number | null; surrogateKeys: string[] }
  | { ok: false; reason: 'timeout' | 'error' | 'status' | 'too-large'; cache: FragmentCache };

export type FragmentFetcher = (request: FragmentRequest) => Promise<FragmentResult>;

export interface FragmentFetcherOptions {
  fetchBackend: Deps['fetchBackend'];
  /** The normalized locale, sent as Accept-Language. */
  locale: string;
  cacheKeyFor: (url: URL) => Promise<string>;
  now: () => number;
}

const MAX_SURROGATE_KEYS = 64;

export function createFragmentFetcher(options: FragmentFetcherOptions): FragmentFetcher {
  return async (request) => {
    const deadline = startDeadline(request.timeoutMs);
    const missCache: FragmentCache = request.perVisitor ? 'PASS' : 'MISS';
    try {
      const headers = { accept: 'text/html', 'accept-encoding': 'identity', 'accept-language': options.locale };
      const backendRequest = new Request(request.url.href, { method: 'GET', headers });
      const fetchOptions = request.perVisitor ? { pass: true } : { cacheKey: await options.cacheKeyFor(request.url) };
      const fetched = await deadline.race(options.fetchBackend(request.backend, backendRequest, fetchOptions));
      if (fetched === TIMED_OUT) return { ok: false, reason: 'timeout', cache: missCache };
      const cache: FragmentCache = fetched.cache === 'STALE' ? 'HIT' : fetched.cache;
      const { response } = fetched;
      if (response.status !== 200) return discard(response, { ok: false, reason: 'status', cache });
      const decoded = decodeBody(response);
      if (!decoded.ok) return discard(response, { ok: false, reason: 'error', cache });
      const body = await readCappedBody(decoded.body, MAX_FRAGMENT_BYTES, deadline);
      if (!body.ok) return { ok: false, reason: body.reason, cache };
      const ttlMs = request.perVisitor ? null : responseTtlMs(response.headers);
      return { ok: true, body: body.bytes, cache, ttlMs, surrogateKeys: surrogateKeysOf(response.headers) };
    } catch {
      return { ok: false, reason: 'error', cache: missCache };
    } finally {
      deadline.clear();
    }
  };
}

function discard(response: Response, result: FragmentResult): FragmentResult {
  void response.body?.cancel().catch(() => undefined);
  return result;
}

function surrogateKeysOf(headers: Headers): string[] {
  const value = headers.get('surrogate-key') ?? '';
  return value.split(' ').filter((key) => key.length > 0 && key.length <= 256).slice(0, MAX_SURROGATE_KEYS);
}
