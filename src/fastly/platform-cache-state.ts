/**
 * What a fetched response says of the edge's cache, without the adapter's `fastly:` imports (so Node's tests reach
 * it): the state, and whether a hit is only inferred from `Age`, which the core then streams (backend-answer.ts).
 */
import type { BackendSettle, CacheState, OriginGate } from '../core/ports.ts';

/**
 * The response, its cache state, and whether that state is only inferred from `Age` (no `Response.cached` without the HTTP
 * cache API). A stale copy is told to a `gate` that listens when it stands in for an origin request that failed (below).
 */
export function answered<T>(to: BackendSettle<T>, response: Response, gate?: OriginGate): T | PromiseLike<T> {
  const cache = platformCacheState(response);
  if (cache === 'STALE' && gate?.originFailed !== undefined) toldMasked(gate, response);
  return to.answered(response, cache, response.cached === undefined);
}

/**
 * js-compute serves a stale-if-error copy when the origin request a fetch made fails (fetch.cpp
 * `try_serve_stale_if_error`, 3.46) and keeps the failure on it as `Response.maskedError` (a slot
 * read, untyped in 3.46): the only place a listening gate can hear that failure at once, so a
 * refused connection is not taken for a revalidation still out. A background revalidation's own
 * failure still reaches nothing (its rejection goes to the runtime's cleanup handler): the gate's
 * deadline stands in for it (template-revalidation.ts).
 */
function toldMasked(gate: OriginGate, response: Response): void {
  const masked = (response as Response & { maskedError?: unknown }).maskedError;
  if (masked !== undefined && masked !== null) gate.originFailed?.(masked);
}

/**
 * `Response.cached`/`stale` with the HTTP cache API. Without it both are undefined for hits and
 * misses alike, so an `Age` above zero (the time a stored object has spent in cache, RFC 9111 §5.1)
 * is taken as a hit instead: a hit younger than a second reads as a miss, so the log undercounts
 * hits rather than inventing them.
 */
function platformCacheState(response: Response): CacheState {
  const cached = response.cached ?? Number(response.headers.get('age') ?? '0') > 0;
  if (!cached) return 'MISS';
  return response.stale ? 'STALE' : 'HIT';
}
