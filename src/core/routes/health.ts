/**
 * `GET /__health`: the build version and runtime, and each backend's state. Only the profile store
 * sits behind a circuit breaker (templates have a last good copy, fragments their alt and except
 * branches), so only it can be "open". An open or half-open breaker is `degraded`: the service is
 * still serving pages, so the answer stays 200 and the state is in the JSON.
 */
import type { Deps } from '../ports.ts';
import { jsonResponse } from '../http/json-response.ts';
import { peekBreaker } from '../profile/circuit-breaker.ts';

export async function handleHealth(_request: Request, deps: Deps): Promise<Response> {
  const breaker = await peekBreaker(deps.cache).catch(() => null);
  const lastErrorAgeS = breaker?.lastErrorAtMs == null ? null : Math.max(0, Math.round((Date.now() - breaker.lastErrorAtMs) / 100) / 10);
  const profiles = breaker === null
    ? { breaker: 'unknown', failures: null, lastErrorAgeS: null }
    : { breaker: breaker.state, failures: breaker.failures, lastErrorAgeS };
  const degraded = breaker === null || breaker.state !== 'closed';
  return jsonResponse(200, {
    status: degraded ? 'degraded' : 'ok',
    version: deps.version,
    runtime: deps.runtime,
    pop: deps.pop,
    backends: {
      profiles,
      templates: { breaker: 'none', fallback: 'last good copy' },
      fragments: { breaker: 'none', fallback: 'alt, then except' },
    },
  });
}
