/**
 * Backend fetches on Compute through the HTTP cache API (`js-compute-runtime --enable-http-cache`):
 * a `CacheOverride` whose `afterSend` hook decides per response what is stored, for how long and
 * under which surrogate keys (storage-policy.ts), and whose `beforeSend` hook keeps the edge's own
 * marker header from the origin. Hit, miss and stale then come from the platform
 * (`Response.cached`/`stale`), not from the response's `Age`.
 *
 * Where the service does not run the HTTP cache API (Viceroy, or a service Fastly has not enabled
 * it for), js-compute throws on the first fetch with hooks; from then on fetches go through the
 * host's readthrough cache without hooks, and a hit is told by `Age` as before.
 */
import { CacheOverride } from 'fastly:cache-override';
import type { BackendFetchOptions, BackendName, BackendResponse, BackendSettle, EdgeGet, FetchBackend, OriginGate } from '../core/ports.ts';
import { throughGate } from '../core/backend/backend-port.ts';
import { storageDecision } from '../core/http/storage-policy.ts';
import { rejected } from '../core/backend/rejected.ts';
import { answered } from './platform-cache-state.ts';

/**
 * js-compute removes `Surrogate-Control` and `Surrogate-Key` from every response that went through
 * the HTTP cache unless the request carries `Fastly-Debug` or `Fastly-FF`
 * (runtime/fastly/builtins/fetch/request-response.cpp `add_fastly_cache_headers`). The core reads
 * both (the ESI opt-in, TTLs and purge tags of templates and fragments), so requests carry it.
 */
const KEEP_EDGE_HEADERS = 'fastly-debug';
const HOOKS_UNAVAILABLE = /HTTP caching API is not enabled/;

let hooksAvailable = true;

/** Without a `settle`: the port's promise answers with the response and its cache state. */
const AS_RESPONSE: BackendSettle<BackendResponse> = {
  answered: (response, cache) => ({ response, cache }),
  failed: (error) => {
    throw error;
  },
};

/**
 * Written with `then` rather than `async`/`await`, and an edge-built GET goes to `fetch` as a URL and
 * headers (`fetch` builds the one request it sends): in the Wasm guest each promise costs ~10 µs
 * and each `Request` three hostcalls, and a page makes several of these calls. The outcome goes to
 * `settle` in the fetch's own reaction (backend-port.ts).
 */
export const fetchBackend: FetchBackend = Object.assign(
  (backend: BackendName, request: Request | EdgeGet, options: BackendFetchOptions = {}) => send(backend, request, options, AS_RESPONSE),
  { settling: send },
);

function send<T>(backend: BackendName, request: Request | EdgeGet, options: BackendFetchOptions, to: BackendSettle<T>): Promise<T> {
  const plain = !(request instanceof Request);
  const target = plain ? request.url : request;
  const init: RequestInit = options.cacheKey === undefined ? { backend } : { backend, cacheKey: options.cacheKey };
  if (plain) {
    init.headers = request.headers;
    if (request.body !== undefined) {
      init.method = 'POST';
      init.body = request.body;
    }
  }
  const { gate } = options;
  if (options.pass) {
    init.cacheOverride = new CacheOverride('pass');
    return throughGate(gate, () => fetch(target, init)).then((response) => to.answered(response, 'PASS'), (error: unknown) => to.failed(error));
  }
  if (!hooksAvailable) return fetchWithoutHooks(target, init, to, gate);
  init.cacheOverride = decidingOverride(backend, gate);
  const withoutHooks = (error: unknown): T | PromiseLike<T> => {
    if (!(error instanceof Error && HOOKS_UNAVAILABLE.test(error.message))) return to.failed(error);
    hooksAvailable = false;
    delete init.cacheOverride;
    return fetchWithoutHooks(target, init, to, gate);
  };
  let sent: Promise<Response>;
  try {
    sent = fetch(plain ? markedUrl(request) : withMarker(request), init);
  } catch (error) {
    // A rejection, never a throw, as from an async function (only on the first call, or a bad request).
    return rejected(error).then(undefined, withoutHooks);
  }
  return sent.then((response) => answered(to, response, gate), withoutHooks);
}

/**
 * Through the host's readthrough cache alone; a hit is told by `Age`. Without the `beforeSend` hook
 * a miss is not known before the fetch, so the gate is asked before every one.
 */
function fetchWithoutHooks<T>(target: string | Request, init: RequestInit, to: BackendSettle<T>, gate: OriginGate | undefined): Promise<T> {
  return throughGate(gate, () => fetch(target, init)).then((response) => answered(to, response), (error: unknown) => to.failed(error));
}

/**
 * The override whose `afterSend` hook applies the storage policy to a response from the origin. The
 * response's `Surrogate-Key` header is left as the origin sent it: the core works out the keys an
 * object is stored under from it and the backend (`storedSurrogateKeys`, the same function the hook
 * uses), so a hit costs no header rewrite here. `beforeSend` runs only when the origin is to be
 * asked (a miss, or a stale copy's revalidation): there the gate is asked, and its rejection keeps
 * the request from the origin (the runtime fails the fetch with it, or serves a stale-if-error copy).
 */
function decidingOverride(backend: BackendName, gate: OriginGate | undefined): CacheOverride {
  let sent: Request | null = null;
  return new CacheOverride({
    beforeSend(origin) {
      sent = origin;
      origin.headers.delete(KEEP_EDGE_HEADERS);
      return gate?.beforeOrigin();
    },
    afterSend(response) {
      // The only place a background revalidation's answer is seen (template-revalidation.ts records it).
      gate?.originAnswered?.(response.status);
      // Back on the request once the origin has answered, so the stored headers reach the core.
      sent?.headers.set(KEEP_EDGE_HEADERS, '1');
      const decision = storageDecision(backend, response.status, response.headers);
      if (!decision.store) return { cache: 'uncacheable' };
      if (decision.ttlSeconds !== null) response.ttl = decision.ttlSeconds;
      response.swr = decision.swrSeconds;
      response.surrogateKeys = decision.surrogateKeys;
      return undefined;
    },
  });
}

/** The URL to fetch, with the marker added to the call's own headers. */
function markedUrl(request: EdgeGet): string {
  request.headers[KEEP_EDGE_HEADERS] = '1';
  return request.url;
}

/**
 * The request with the marker header. The core builds every request it sends through the cache
 * for this call alone, so the marker is set on it in place: a copy would cost a `Request` and a
 * `Headers` per fetch in the guest. A request whose headers cannot change is copied.
 */
function withMarker(request: Request): Request {
  try {
    request.headers.set(KEEP_EDGE_HEADERS, '1');
    return request;
  } catch {
    const marked = new Headers(request.headers);
    marked.set(KEEP_EDGE_HEADERS, '1');
    return new Request(request, { headers: marked });
  }
}
