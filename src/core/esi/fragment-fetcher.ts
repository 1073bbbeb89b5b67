/**
 * Fetches one fragment for an include: a bodiless `GET` carrying only headers the edge sets
 * (nothing from the client: no Cookie, no Authorization, no client IP), through the readthrough
 * cache unless per-visitor, with the timeout covering the whole body and a 256 KiB cap on the
 * decoded body, which also stops decompression bombs (backend-call.ts). A body whose media type is
 * not one the page accepts (`text/html` unless configured) is a failed include: an error page or a
 * JSON answer served with 200 must not be stitched into the HTML. Failure is a value, a body another
 * reader already holds included (an error, told before the read, whose promise would reject).
 */
import type { BackendName, Deps } from '../ports.ts';
import { callBackend } from '../backend/backend-call.ts';
import type { Deadline } from '../backend/deadline.ts';
import { DEFAULT_SETTINGS } from '../config/settings.ts';
import { CANDIDATES_ACCEPT, CANDIDATE_TYPES } from './ranked-include.ts';
import { fragmentAnswer, type FragmentCache, type FragmentResult } from './fragment-answer.ts';
import type { NormalizedUrl } from '../cache-key/url-normalize.ts';

export type { FragmentCache, FragmentResult } from './fragment-answer.ts';

/**
 * What a fragment's URL is read for: a WHATWG `URL`, or for a plain path on the page's host the
 * same parts worked out without the URL parser (include-targets.ts), which inside the Wasm guest
 * costs tens of microseconds per include, its getters a few more each.
 */
export type FragmentUrl = Pick<URL, 'href' | 'protocol' | 'host' | 'pathname' | 'search'> & {
  /** The URL's normal form (url-normalize.ts) when its resolver already knows it: the fragment tier's key needs no second normalization. */
  readonly normal?: NormalizedUrl;
};

export interface FragmentRequest {
  url: FragmentUrl;
  backend: BackendName;
  perVisitor: boolean;
  timeoutMs: number;
  /** The page's timer for this fetch (shared-fetches.ts), which then arms none of its own for `timeoutMs`. */
  deadline?: Deadline;
  /** A ranked include's candidate document (compact or JSON), re-ranked and rendered by the edge, never inserted as is. */
  candidates?: boolean;
}

export interface FragmentFetcher {
  (request: FragmentRequest): Promise<FragmentResult>;
  /**
   * The same fetch with its result told to `settle` (at once, or from the reaction that makes it)
   * instead of a promise: the page then reacts to no promise of the fetch's, and the backend call's
   * promise adopts no body read's (in the guest, two promises and three jobs fewer per fragment).
   * Optional: a fetcher without it is asked for the promise.
   */
  settling?: (request: FragmentRequest, settle: (result: FragmentResult) => void) => void;
}

export interface FragmentFetcherOptions {
  fetchBackend: Deps['fetchBackend'];
  /** The normalized locale, sent as Accept-Language. */
  locale: string;
  cacheKeyFor: (url: FragmentUrl) => string;
  /** Media types (`type/subtype`, lower case) a fragment may have; the default is `text/html`. */
  acceptedTypes?: readonly string[];
  /**
   * False when the page will not be stored whatever its parts say (page-assembly.ts: a cookie set, a preview, a stale or
   * uncacheable template): its fragments' TTL and surrogate keys are then never needed, so they are not worked out. A
   * plain fragment's are worked out only when storing the page reads them anyway (fragment-facts.ts), but an
   * `<esi:try>` block joins its parts' as they settle (rendered-part.ts) and a ranked include's candidate document
   * works out its own (fragment-answer.ts): this spares those, and a plain fragment's lazy facts object.
   */
  pageStorable?: boolean;
}

export function createFragmentFetcher(options: FragmentFetcherOptions): FragmentFetcher {
  // The backend call's clock only times its answer (`ms`), which no include reads (the runner times each include
  // itself): a clock that reads nothing spares two clock reads per fetch, each a hostcall in the guest.
  const backend: BackendDeps = { fetchBackend: options.fetchBackend, now: noClock };
  // An inline arrow, not a named one: under tsx (the Node host) a named closure costs a defineProperty per page.
  return Object.assign((request: FragmentRequest): Promise<FragmentResult> => fetchOne(options, backend, request, undefined) as Promise<FragmentResult>, {
    settling(request: FragmentRequest, settle: (result: FragmentResult) => void): void {
      void fetchOne(options, backend, request, settle);
    },
  });
}

type BackendDeps = Pick<Deps, 'fetchBackend' | 'now'>;

function noClock(): number {
  return 0;
}

/**
 * Not an async function: the answer is classified in the backend call's own reaction (callBackend's `next`,
 * fragment-answer.ts), one promise less per fragment in the guest than an async frame awaiting the call.
 * With `settle` the promise's value is null: the result goes to `settle`.
 */
function fetchOne(options: FragmentFetcherOptions, backend: BackendDeps, request: FragmentRequest, settle: ((result: FragmentResult) => void) | undefined): Promise<FragmentResult | null> {
  const missCache: FragmentCache = request.perVisitor ? 'PASS' : 'MISS';
  try {
    const headers = { accept: request.candidates === true ? CANDIDATES_ACCEPT : 'text/html', 'accept-encoding': 'identity', 'accept-language': options.locale };
    const backendRequest = { url: request.url.href, headers };
    return callBackend(backend, {
      backend: request.backend,
      request: backendRequest,
      timeoutMs: request.timeoutMs,
      deadline: request.deadline,
      // Fields written out, not an object spread: in the Wasm guest a spread runs interpreted code.
      pass: request.perVisitor,
      cacheKey: request.perVisitor ? undefined : options.cacheKeyFor(request.url),
    }, fragmentAnswer, { backend: request.backend, caching: !request.perVisitor && options.pageStorable !== false, acceptedTypes: request.candidates === true ? CANDIDATE_TYPES : (options.acceptedTypes ?? DEFAULT_SETTINGS.fragmentTypes), missCache, settle });
  } catch {
    const failed: FragmentResult = { ok: false, reason: 'error', cache: missCache };
    settle?.(failed);
    return Promise.resolve(failed);
  }
}
