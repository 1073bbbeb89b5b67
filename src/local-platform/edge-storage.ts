/**
 * The Node host's stand-in for the Compute guest's `afterSend` hook (src/fastly/fastly-backend-fetch.ts):
 * the same per-response decision (src/core/http/storage-policy.ts) applied to what the emulated
 * readthrough cache would store, so both runtimes keep the same objects for the same time under
 * the same surrogate keys.
 */
import type { BackendName } from '../core/ports.ts';
import { storageDecision } from '../core/http/storage-policy.ts';
import type { StorageAdjust } from './readthrough-cache.ts';

export function edgeStorage(backend: BackendName): StorageAdjust {
  return (response, suggested) => {
    const decision = storageDecision(backend, response.status, response.headers);
    if (!decision.store) return decision;
    return {
      ...suggested,
      // The platform's TTL setter counts from the response's creation, as `suggested.ttlSeconds` does.
      ttlSeconds: decision.ttlSeconds === null ? suggested.ttlSeconds : suggested.initialAgeSeconds + decision.ttlSeconds,
      swrSeconds: decision.swrSeconds,
      surrogateKeys: decision.surrogateKeys,
    };
  };
}
