/**
 * What the Wasm host's main thread serves guest sessions from (host-services.ts): the Node host's
 * backend client and readthrough cache, the core cache and the guest's HTTP cache, and the memory
 * those stores share with every worker so workers answer some lookups themselves, exactly
 * (key-presence.ts, http-cache-hits.ts, core-cache-store.ts).
 */
import type { LineSink } from '../src/local-platform/log-line.ts';
import type { LocalManifest } from '../src/local-platform/manifest.ts';
import { createNodeDeps } from '../src/node-host/node-deps.ts';
import { CoreCacheStore } from './core-cache-store.ts';
import { CoreCacheTransactions } from './guest-core-cache.ts';
import { GuestHttpCache } from './guest-http-cache.ts';
import type { HostServices } from './host-services.ts';
import { HttpCacheHits } from './http-cache-hits.ts';
import { KeyPresence, markingInserts } from './key-presence.ts';
import type { SharedWithWorkers } from './worker-pool.ts';

export interface ServerServices {
  services: HostServices;
  shared: Required<SharedWithWorkers>;
  /** Purges a surrogate key from every cache (`soft`: mark stale where the cache can). */
  purge: (key: string, soft: boolean) => Promise<void>;
  /** Names of hostcalls the guest called that this host does not implement. */
  unsupported: ReadonlySet<string>;
}

export function serverServices(manifest: LocalManifest, sink: LineSink, stdio: HostServices['stdio']): ServerServices {
  const cacheKeys = new KeyPresence();
  const httpHits = new HttpCacheHits();
  const coreHits = new HttpCacheHits();
  const coreStore = new CoreCacheStore(coreHits);
  const nodeDeps = createNodeDeps(manifest, { sink });
  // The core cache is this host's own store (its objects own cells workers answer hits from); every insert marks
  // its key first, so workers answer lookups of unmarked keys themselves. A purge reaches it beside the readthrough.
  const deps = {
    ...nodeDeps,
    cache: markingInserts(coreStore, cacheKeys),
    purge: async (key: string, soft = false) => {
      await coreStore.purgeSurrogateKey(key);
      await nodeDeps.purge(key, soft);
    },
  };
  const unsupported = new Set<string>();
  const services: HostServices = {
    deps,
    httpCache: new GuestHttpCache(undefined, Date.now, httpHits),
    coreCache: new CoreCacheTransactions(deps.cache),
    coreStore,
    backends: manifest.backends,
    log: sink,
    stdio,
    unsupported(name) {
      if (unsupported.has(name)) return;
      unsupported.add(name);
      process.stderr.write(`[wasm-host] unsupported hostcall ${name} (answered with status 5, unsupported)\n`);
    },
  };
  const purge = (key: string, soft: boolean): Promise<void> => {
    services.httpCache.purge(key, soft);
    return deps.purge(key, soft);
  };
  return { services, shared: { cacheKeys: cacheKeys.shared, httpHits: httpHits.shared, coreHits: coreHits.shared }, purge, unsupported };
}
