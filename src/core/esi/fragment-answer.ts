/**
 * What a fragment's backend answer is worth to the page: a refusal (status, media type, encoding)
 * settled at once, or the body read under the fragment cap with its freshness and surrogate keys.
 * Its own module so a page's walk meets the fetcher, then the backend call, then this judgement,
 * each once, instead of coming back to the fetcher after the backend.
 */
import type { BackendName } from '../ports.ts';
import type { BackendAnswer, BackendCall } from '../backend/backend-call.ts';
import type { CappedBody } from '../backend/read-capped-body.ts';
import { decodeBody } from '../http/content-encoding.ts';
import { MAX_FRAGMENT_BYTES } from './esi-limits.ts';
import { CachedFragment, FragmentFacts, NO_KEYS } from './fragment-facts.ts';
import { CANDIDATE_TYPES } from './ranked-include.ts';
import type { FragmentCacheState } from '../log/vocabulary.ts';

export type FragmentCache = FragmentCacheState;

export type FragmentResult =
  | { ok: true; body: Uint8Array; cache: FragmentCache; ttlMs: number | null; surrogateKeys: readonly string[]; /** A candidate document's media type. */ mediaType?: string }
  | { ok: false; reason: 'timeout' | 'error' | 'status' | 'content-type' | 'too-large'; cache: FragmentCache };

/** What `fragmentAnswer` needs of its fetch besides the call. */
export interface FragmentAsked {
  backend: BackendName;
  /**
   * Whether the result carries the fragment's TTL and surrogate keys: not for a per-visitor fetch, nor on a page that
   * will not be stored (fragment-fetcher.ts), which needs neither; then the TTL is null, as for an uncacheable part.
   */
  caching: boolean;
  acceptedTypes: readonly string[];
  /** What a failure reports. */
  missCache: FragmentCache;
  /**
   * Told the result instead of having it returned (a settling fetch, fragment-fetcher.ts): a body
   * read calls it from its own mapping, so no promise of the read's is handed on to be adopted.
   */
  settle: ((result: FragmentResult) => void) | undefined;
}

/**
 * The fetch's step after the backend call (callBackend's `next`, so it runs in the call's own reaction, with no
 * closure per fetch): a failed call as a value, else its answer classified. With `asked.settle` the result goes
 * there and this returns null.
 */
export function fragmentAnswer(call: BackendCall, asked: FragmentAsked): FragmentResult | Promise<FragmentResult> | null {
  const answer = answerOf(call, asked);
  if (asked.settle === undefined) return answer;
  // A body read in flight settles from its own mapping; its promise is dropped (it never rejects: see classifyFragment).
  if (!(answer instanceof Promise)) asked.settle(answer);
  return null;
}

function answerOf(call: BackendCall, asked: FragmentAsked): FragmentResult | Promise<FragmentResult> {
  if (!call.ok) return { ok: false, reason: call.reason === 'timeout' ? 'timeout' : 'error', cache: asked.missCache };
  try {
    return classifyFragment(call, asked);
  } catch {
    return call.discard({ ok: false, reason: 'error', cache: asked.missCache });
  }
}

/**
 * Settled at once on a refusal; otherwise the body read, without an `async` layer (each promise costs ~10 µs in the
 * guest). A body another reader holds is an error here, before the read, whose promise would reject instead.
 */
function classifyFragment(call: BackendAnswer, asked: FragmentAsked): FragmentResult | Promise<FragmentResult> {
  const { response } = call;
  const acceptedTypes = asked.acceptedTypes;
  const cache: FragmentCache = call.cache === 'STALE' ? 'HIT' : call.cache;
  if (response.status !== 200) return call.discard({ ok: false, reason: 'status', cache });
  const type = mediaType(response.headers.get('content-type'));
  if (!acceptedTypes.includes(type)) return call.discard({ ok: false, reason: 'content-type', cache });
  const map = (body: CappedBody): FragmentResult => {
    const result = fragmentOf(body, response.headers, asked, cache, type);
    asked.settle?.(result);
    return result;
  };
  // A cache hit is read whole in one native call (read-held-body.ts), before anything makes its body a stream.
  const held = call.readHeld(MAX_FRAGMENT_BYTES, map);
  if (held !== null) return held;
  const decoded = decodeBody(response);
  if (!decoded.ok || decoded.body.locked) return call.discard({ ok: false, reason: 'error', cache });
  // An unencoded body is framed by its Content-Length: the read stops there, without a read for the end.
  const framed = decoded.body === response.body;
  return call.read(MAX_FRAGMENT_BYTES, decoded.body, map, framed);
}

/** The body read, with its freshness and surrogate keys (worked out when first read: fragment-facts.ts). */
function fragmentOf(body: CappedBody, headers: Headers, asked: FragmentAsked, cache: FragmentCache, type: string): FragmentResult {
  if (!body.ok) return { ok: false, reason: body.reason, cache };
  // A candidate document's type picks its reader (compact or JSON); other fragments need none.
  const candidates = asked.acceptedTypes === CANDIDATE_TYPES;
  if (asked.caching) return new CachedFragment(body.bytes, cache, new FragmentFacts(headers, asked.backend), candidates ? type : undefined);
  // Nothing to work out for a result that is never stored; then the TTL is null, as for an uncacheable part.
  const result = { ok: true as const, body: body.bytes, cache, ttlMs: null, surrogateKeys: NO_KEYS };
  return candidates ? { ...result, mediaType: type } : result;
}

/** `type/subtype` without parameters, lower case (RFC 9110 §8.3.1); none at all is not a type we take. */
function mediaType(contentType: string | null): string {
  return contentType === null ? '' : (contentType.split(';')[0] ?? '').trim().toLowerCase();
}
