/**
 * The Node host's backend fetch: the manifest's backends, reached through the readthrough cache
 * emulation as on Compute (a pass goes straight to the origin). The core wraps it in its backend
 * port (src/core/backend/backend-port.ts).
 */
import type { BackendFetchOptions, BackendName, BackendResponse, EdgeGet } from '../core/ports.ts';
import { asRequest } from '../core/http/edge-get.ts';
import { throughGate } from '../core/backend/backend-port.ts';
import { sendToBackend } from '../local-platform/backend-client.ts';
import type { LocalManifest } from '../local-platform/manifest.ts';
import type { ReadthroughCache } from '../local-platform/readthrough-cache.ts';
import { edgeStorage } from '../local-platform/edge-storage.ts';

export type NodeBackendFetch = (name: BackendName, input: Request | EdgeGet, options?: BackendFetchOptions) => Promise<BackendResponse>;

export function nodeBackendFetch(manifest: LocalManifest, readthrough: ReadthroughCache): NodeBackendFetch {
  return async (name, input, fetchOptions = {}) => {
    const request = asRequest(input);
    const backend = manifest.backends.get(name);
    // Fastly rejects a fetch to a backend the service does not define.
    if (!backend) throw new DOMException(`backend "${name}" is not defined in ${manifest.file}`, 'NetworkError');
    // The readthrough calls it only to reach the origin (a miss, a revalidation): the gate is asked there.
    const send = (): Promise<Response> => sendToBackend(backend, request);
    const { gate } = fetchOptions;
    const origin = gate === undefined ? send : (): Promise<Response> => throughGate(gate, send);
    if (fetchOptions.pass) return { response: await origin(), cache: 'PASS' };
    const key = fetchOptions.cacheKey ?? `${name}\n${request.url}\n${backend.overrideHost ?? new URL(request.url).host}`;
    return readthrough.fetch(key, request, origin, edgeStorage(name));
  };
}
