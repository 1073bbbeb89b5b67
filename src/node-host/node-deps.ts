/**
 * The Node implementation of every port in `src/core/ports.ts`, configured from a loaded manifest:
 * backends through the readthrough cache emulation, stores, geolocation, device detection, log
 * lines on stdout, and an in-memory edge cache.
 */
import { RateLimiter } from './rate-limiter.ts';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { BackendFetchOptions, BackendName, BackendResponse, Deps, DeviceRecord, EdgeGet } from '../core/ports.ts';
import { asRequest } from '../core/http/edge-get.ts';
import { backendPort, throughGate } from '../core/backend/backend-port.ts';
import { BUILD_VERSION } from '../core/version.ts';
import { sendToBackend } from '../local-platform/backend-client.ts';
import { formatLogLine, stdoutSink } from '../local-platform/log-line.ts';
import type { LineSink } from '../local-platform/log-line.ts';
import type { LocalManifest } from '../local-platform/manifest.ts';
import { lookupGeo } from '../local-platform/manifest-geo-device.ts';
import { MemoryEdgeCache } from '../local-platform/memory-edge-cache.ts';
import { ReadthroughCache } from '../local-platform/readthrough-cache.ts';
import { edgeStorage } from '../local-platform/edge-storage.ts';
import { nodeCrypto } from './node-crypto.ts';
import { bufferViews } from './buffer-views.ts';

export interface NodeDepsOptions {
  /** Receives every log endpoint line (stdout by default). */
  sink?: LineSink;
  /** Byte cap of each cache (readthrough and edge object cache); default 64 MiB. */
  cacheBytes?: number;
  /** Largest backend body the readthrough cache stores; default 8 MiB. */
  maxObjectBytes?: number;
  /** Milliseconds wall clock for cache ages; Date.now by default. */
  clock?: () => number;
}

/** `Deps` plus what only the host needs: request scoping for `cpuMs`, local purges and shutdown. */
export interface NodeDeps extends Deps {
  /** Runs one request so `cpuMs()` inside it measures from its start. */
  runRequest<T>(work: () => Promise<T>): Promise<T>;
  /** Purges a surrogate key from both caches; `soft` only marks the readthrough cache's copies stale. */
  purge(key: string, soft?: boolean): Promise<void>;
  /** Resolves when background cache revalidations have finished. */
  idle(): Promise<void>;
  readthrough: ReadthroughCache;
}

export function createNodeDeps(manifest: LocalManifest, options: NodeDepsOptions = {}): NodeDeps {
  const sink = options.sink ?? stdoutSink;
  const readthrough = new ReadthroughCache({ maxBytes: options.cacheBytes, maxObjectBytes: options.maxObjectBytes, clock: options.clock });
  const edgeCache = new MemoryEdgeCache({ maxBytes: options.cacheBytes, clock: options.clock });
  const rateLimiter = new RateLimiter(options.clock);
  const config = manifest.configStores.get('personalization_config');
  const secrets = manifest.secretStores.get('personalization_secrets');
  const cpuStart = new AsyncLocalStorage<NodeJS.CpuUsage>();
  const purge = (key: string, soft = false): Promise<void> => {
    readthrough.purgeSurrogateKey(key, soft);
    return edgeCache.purgeSurrogateKey(key);
  };

  async function fetchBackend(name: BackendName, input: Request | EdgeGet, fetchOptions: BackendFetchOptions = {}): Promise<BackendResponse> {
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
  }

  return {
    fetchBackend: backendPort(fetchBackend),
    config: (key) => config?.get(key) ?? null,
    secret: (key) => Promise.resolve(secrets?.get(key) ?? null),
    geo: (address) => lookupGeo(manifest.geolocation, address),
    device: (userAgent): DeviceRecord | null => manifest.deviceDetection.get(userAgent) ?? null,
    emit: (endpoint, line) => sink(formatLogLine(endpoint, line)),
    cache: { lookup: (key) => edgeCache.lookup(key), lookupOrFill: (key, waitMs) => edgeCache.lookupOrFill(key, waitMs), insert: (key, body, insert) => edgeCache.insert(key, body, insert), purgeSurrogateKey: (key) => purge(key) },
    crypto: nodeCrypto,
    now: () => performance.now(),
    overRateLimit: (entry, perSecond, windowSeconds) => rateLimiter.overRateLimit(entry, perSecond, windowSeconds),
    cpuMs() {
      const start = cpuStart.getStore();
      if (!start) return null;
      const used = process.cpuUsage(start);
      return (used.user + used.system) / 1000;
    },
    pop: 'local',
    version: BUILD_VERSION,
    runtime: 'node',
    chunkViews: bufferViews,
    runRequest: (work) => cpuStart.run(process.cpuUsage(), work),
    purge,
    idle: () => readthrough.idle(),
    readthrough,
  };
}
