/**
 * `GET /__health`: the build version and runtime, and each backend's state. The profile store and
 * the template origin sit behind circuit breakers (fragments have their alt and except branches
 * instead), so those two can be "open". An open or half-open breaker is `degraded`: the service is
 * still serving pages, so the answer stays 200 and the state is in the JSON.
 */
import type { BackendName, Deps } from '../ports.ts';
import { jsonResponse } from '../http/json-response.ts';
import { breakerKey, peekBreaker } from '../backend/circuit-breaker.ts';

interface BackendHealth {
  breaker: string;
  failures: number | null;
  lastErrorAgeS: number | null;
}

export async function handleHealth(_request: Request, deps: Deps): Promise<Response> {
  const [profiles, templates] = await Promise.all([breakerHealth(deps, 'profiles'), breakerHealth(deps, 'templates')]);
  const degraded = [profiles, templates].some((backend) => backend.breaker !== 'closed');
  return jsonResponse(200, {
    status: degraded ? 'degraded' : 'ok',
    version: deps.version,
    runtime: deps.runtime,
    pop: deps.pop,
    backends: {
      profiles,
      templates: { ...templates, fallback: 'last good copy' },
      fragments: { breaker: 'none', fallback: 'alt, then except' },
    },
  });
}

async function breakerHealth(deps: Deps, backend: BackendName): Promise<BackendHealth> {
  const breaker = await peekBreaker(deps.cache, breakerKey(backend)).catch(() => null);
  if (breaker === null) return { breaker: 'unknown', failures: null, lastErrorAgeS: null };
  const lastErrorAgeS = breaker.lastErrorAtMs === null ? null : Math.max(0, Math.round((Date.now() - breaker.lastErrorAtMs) / 100) / 10);
  return { breaker: breaker.state, failures: breaker.failures, lastErrorAgeS };
}
