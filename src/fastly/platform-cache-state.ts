/**
 * What a fetched response says of the edge's cache, without the adapter's `fastly:` imports (so Node's tests reach
 * it): the state, and whether a hit is only inferred from `Age`, which the core then streams (backend-answer.ts).
 */
import type { BackendSettle, CacheState } from '../core/ports.ts';

/** The response, its cache state, and whether that state is only inferred from `Age` (no `Response.cached` without the HTTP cache API). */
export function answered<T>(to: BackendSettle<T>, response: Response): T | PromiseLike<T> {
  return to.answered(response, platformCacheState(response), response.cached === undefined);
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
