/**
 * The backend port, part of the `deps` object (ports.ts): a fetch from a named static backend
 * through the readthrough cache. A port may also offer `settling`, the same fetch with a `settle`
 * that maps the answer or the failure inside the fetch's own reaction, so the backend call
 * (backend-call.ts) classifies it with no `then` of its own: in the Wasm guest each promise job
 * costs ~10 µs and two clock reads, and a page makes a template and several fragment calls. It is
 * a method of its own rather than an optional fourth argument, so a plain fetch (a test fake, a
 * host adapter written later) is never handed a `settle` it would silently ignore.
 * `backendPort` adds it to a plain fetch.
 */
import type { BackendName, CacheState } from '../ports.ts';

export interface BackendFetchOptions {
  /** Bypass the readthrough cache: the request always reaches the backend and nothing is stored. */
  pass?: boolean;
  /** Replaces the default URL+Host cache key (Fastly hashes it into `fastly-xqd-cache-key`). */
  cacheKey?: string;
  /** Asked before the origin is, only when it would be (`OriginGate`). */
  gate?: OriginGate;
}

/**
 * What a fetch asks each time it would reach the origin (a readthrough miss, a revalidation, a
 * pass), just before it does; a readthrough hit never asks it. A rejection keeps the origin unasked
 * and fails that origin request with it (a revalidation in the background just does not happen).
 * The template breaker is one: its read costs a cache lookup, and only a miss reaches the origin
 * it protects. A host that cannot tell a miss before fetching asks it before every fetch.
 */
export interface OriginGate {
  beforeOrigin(): Promise<void>;
  /**
   * Told the origin's answer to a request the gate let through (its status), where the host sees
   * it: a background revalidation's answer reaches its caller no other way. A host may not see a
   * failure (on Compute a revalidation that fails reaches no hook), so a gate that needs the
   * outcome keeps a deadline of its own.
   */
  originAnswered?(status: number): void;
  /** Told that a request the gate let through failed (a network error or the backend's timeout), where the host sees it. */
  originFailed?(error: unknown): void;
}

/** `send` once `gate` (if any) lets it through; the origin's answer or failure is told to a gate that listens. */
export function throughGate<T extends Response>(gate: OriginGate | undefined, send: () => Promise<T>): Promise<T> {
  if (gate === undefined) return send();
  if (gate.originAnswered === undefined && gate.originFailed === undefined) return gate.beforeOrigin().then(send);
  return gate.beforeOrigin().then(() => send().then((response) => told(gate, response), (error: unknown) => failedTo(gate, error)));
}

function told<T extends Response>(gate: OriginGate, response: T): T {
  gate.originAnswered?.(response.status);
  return response;
}

function failedTo(gate: OriginGate, error: unknown): never {
  gate.originFailed?.(error);
  throw error;
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
  /**
   * True when `cache` is only inferred from the response's `Age` (a host without the HTTP cache API,
   * platform-cache-state.ts; then true for a miss too): an origin, or a cache in front of it, sends
   * `Age` too, so a "hit" may still be on its way and is streamed, cancellable at the deadline
   * (read-held-body.ts).
   */
  inferred?: boolean;
}

/** Where a fetch's outcome goes, called in the fetch's own reaction; what it returns settles the port's promise. */
export interface BackendSettle<T> {
  answered(response: Response, cache: CacheState, inferred?: boolean): T | PromiseLike<T>;
  failed(error: unknown): T | PromiseLike<T>;
}

/** Sends a request to a named static backend through the readthrough cache (unless `pass`). */
export interface FetchBackend {
  (backend: BackendName, request: Request | EdgeGet, options?: BackendFetchOptions): Promise<BackendResponse>;
  /** The same fetch, its outcome handed to `settle` in the fetch's own reaction and the returned promise settled with what that returns. */
  settling?: <T>(backend: BackendName, request: Request | EdgeGet, options: BackendFetchOptions, settle: BackendSettle<T>) => Promise<T>;
}

/** The port over a fetch that answers with the response and its cache state (or rejects), with its `settling` form. */
export function backendPort(send: (backend: BackendName, request: Request | EdgeGet, options: BackendFetchOptions) => Promise<BackendResponse>): FetchBackend {
  return Object.assign((backend: BackendName, request: Request | EdgeGet, options: BackendFetchOptions = {}) => send(backend, request, options), {
    settling: <T>(backend: BackendName, request: Request | EdgeGet, options: BackendFetchOptions, settle: BackendSettle<T>): Promise<T> =>
      send(backend, request, options).then(
        (answer) => settle.answered(answer.response, answer.cache, answer.inferred),
        (error: unknown) => settle.failed(error),
      ),
  });
}
