/**
 * The backend port, part of the `deps` object (ports.ts): a fetch from a named static backend
 * through the readthrough cache. It takes an optional `settle` that maps the answer or the failure
 * inside the fetch's own reaction, so the backend call (backend-call.ts) classifies it with no
 * `then` of its own: in the Wasm guest each promise job costs ~10 µs and two clock reads, and a
 * page makes a template and several fragment calls. `backendPort` builds the port from a plain
 * fetch for hosts and fakes where that job does not matter.
 */
import type { BackendName, CacheState } from '../ports.ts';

export interface BackendFetchOptions {
  /** Bypass the readthrough cache: the request always reaches the backend and nothing is stored. */
  pass?: boolean;
  /** Replaces the default URL+Host cache key (Fastly hashes it into `fastly-xqd-cache-key`). */
  cacheKey?: string;
}

/**
 * A request the edge builds from scratch, as plain data: a bodiless GET (a template or fragment
 * read), or a POST of `body` (a profile write). In the Wasm guest a `Request` costs three hostcalls
 * and a header copy, and `fetch` then builds a request of its own from it. The headers belong to
 * this one call: an adapter may add to them in place.
 */
export interface EdgeGet {
  readonly url: string;
  readonly headers: Record<string, string>;
  /** Present: the request is a POST of this text. */
  readonly body?: string;
}

export interface BackendResponse {
  response: Response;
  cache: CacheState;
}

/** Where a fetch's outcome goes, called in the fetch's own reaction; what it returns settles the port's promise. */
export interface BackendSettle<T> {
  answered(response: Response, cache: CacheState): T | PromiseLike<T>;
  failed(error: unknown): T | PromiseLike<T>;
}

/** Sends a request to a named static backend through the readthrough cache (unless `pass`). */
export interface FetchBackend {
  (backend: BackendName, request: Request | EdgeGet, options?: BackendFetchOptions): Promise<BackendResponse>;
  /** The outcome handed to `settle`, the returned promise settled with what it returns. */
  <T>(backend: BackendName, request: Request | EdgeGet, options: BackendFetchOptions, settle: BackendSettle<T>): Promise<T>;
}

/** The port over a fetch that answers with the response and its cache state (or rejects). */
export function backendPort(send: (backend: BackendName, request: Request | EdgeGet, options: BackendFetchOptions) => Promise<BackendResponse>): FetchBackend {
  function fetchBackend(backend: BackendName, request: Request | EdgeGet, options?: BackendFetchOptions): Promise<BackendResponse>;
  function fetchBackend<T>(backend: BackendName, request: Request | EdgeGet, options: BackendFetchOptions, settle: BackendSettle<T>): Promise<T>;
  function fetchBackend<T>(backend: BackendName, request: Request | EdgeGet, options: BackendFetchOptions = {}, settle?: BackendSettle<T>): Promise<T | BackendResponse> {
    const sent = send(backend, request, options);
    if (settle === undefined) return sent;
    return sent.then(
      (answer) => settle.answered(answer.response, answer.cache),
      (error: unknown) => settle.failed(error),
    );
  }
  return fetchBackend;
}
