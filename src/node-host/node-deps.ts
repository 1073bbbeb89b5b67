/**
 * The Node implementation of every port in `src/core/ports.ts`, configured from a loaded manifest:
 * backends through the readthrough cache emulation, stores, geolocation, device detection, log
 * lines on stdout, and an in-memory edge cache.
 */
import { RateLimiter } from './rate-limiter.ts';
import type { Deps, DeviceRecord } from '../core/ports.ts';
import { backendPort } from '../core/backend/backend-port.ts';
import { BUILD_VERSION } from '../core/version.ts';
import { formatLogLine, stdoutSink } from '../local-platform/log-line.ts';
import type { LineSink } from '../local-platform/log-line.ts';
import type { LocalManifest } from '../local-platform/manifest.ts';
import { lookupGeo } from '../local-platform/manifest-geo-device.ts';
import { MemoryEdgeCache } from '../local-platform/memory-edge-cache.ts';
import { ReadthroughCache } from '../local-platform/readthrough-cache.ts';
import { nodeCrypto } from './node-crypto.ts';
import { nodeBackendFetch } from './node-backend-fetch.ts';
import { requestCpu } from './request-cpu.ts';
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
  const cpu = requestCpu();
  const purge = (key: string, soft = false): Promise<void> => {
    readthrough.purgeSurrogateKey(key, soft);
    return edgeCache.purgeSurrogateKey(key);
  };
  return {
    fetchBackend: backendPort(nodeBackendFetch(manifest, readthrough)),
    config: (key) => config?.get(key) ?? null,
    secret: (key) => Promise.resolve(secrets?.get(key) ?? null),
    geo: (address) => lookupGeo(manifest.geolocation, address),
    device: (userAgent): DeviceRecord | null => manifest.deviceDetection.get(userAgent) ?? null,
    emit: (endpoint, line) => sink(formatLogLine(endpoint, line)),
    cache: { lookup: (key) => edgeCache.lookup(key), lookupOrFill: (key, waitMs) => edgeCache.lookupOrFill(key, waitMs), insert: (key, body, insert) => edgeCache.insert(key, body, insert), purgeSurrogateKey: (key) => purge(key) },
    crypto: nodeCrypto,
    now: () => performance.now(),
    overRateLimit: (entry, perSecond, windowSeconds) => rateLimiter.overRateLimit(entry, perSecond, windowSeconds),
    cpuMs: cpu.cpuMs,
    pop: 'local',
    version: BUILD_VERSION,
    runtime: 'node',
    chunkViews: bufferViews,
    runRequest: cpu.runRequest,
    purge,
    idle: () => readthrough.idle(),
    readthrough,
  };
}
