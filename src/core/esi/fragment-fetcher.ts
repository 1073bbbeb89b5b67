/**
 * Fetches one fragment for an include: a bodiless `GET` carrying only headers the edge sets
 * (nothing from the client: no Cookie, no Authorization, no client IP), through the readthrough
 * cache unless per-visitor, with the timeout covering the whole body and a 256 KiB cap on the
 * decoded body, which also stops decompression bombs (backend-call.ts). Failure is a value.
 */
import type { BackendName, Deps } from '../ports.ts';
import { callBackend, type BackendAnswer } from '../backend/backend-call.ts';
import { decodeBody } from '../http/content-encoding.ts';
import { responseTtlMs } from '../http/cache-ttl.ts';
import { surrogateKeysOf } from '../http/surrogate-keys.ts';
import { MAX_FRAGMENT_BYTES } from './esi-limits.ts';
import type { FragmentCacheState } from '../log/vocabulary.ts';

export type FragmentCache = FragmentCacheState;

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

export function createFragmentFetcher(options: FragmentFetcherOptions): FragmentFetcher {
  return async (request) => {
    const missCache: FragmentCache = request.perVisitor ? 'PASS' : 'MISS';
    try {
      const headers = { accept: 'text/html', 'accept-encoding': 'identity', 'accept-language': options.locale };
      const backendRequest = new Request(request.url.href, { method: 'GET', headers });
      const keyed = request.perVisitor ? { pass: true } : { cacheKey: await options.cacheKeyFor(request.url) };
      const call = await callBackend(options, { backend: request.backend, request: backendRequest, timeoutMs: request.timeoutMs, ...keyed });
      if (!call.ok) return { ok: false, reason: call.reason === 'timeout' ? 'timeout' : 'error', cache: missCache };
      return await classify(call, request.perVisitor);
    } catch {
      return { ok: false, reason: 'error', cache: missCache };
    }
  };
}

async function classify(call: BackendAnswer, perVisitor: boolean): Promise<FragmentResult> {
  const { response } = call;
  const cache: FragmentCache = call.cache === 'STALE' ? 'HIT' : call.cache;
  if (response.status !== 200) return call.discard({ ok: false, reason: 'status', cache });
  const decoded = decodeBody(response);
  if (!decoded.ok) return call.discard({ ok: false, reason: 'error', cache });
  const body = await call.read(MAX_FRAGMENT_BYTES, decoded.body);
  if (!body.ok) return { ok: false, reason: body.reason, cache };
  const ttlMs = perVisitor ? null : responseTtlMs(response.headers);
  return { ok: true, body: body.bytes, cache, ttlMs, surrogateKeys: surrogateKeysOf(response.headers) };
}
