/**
 * What a guest instance's session (host-session.ts) is given by the server, and what it reports
 * when the instance has ended and its response is written.
 */
import type { LineSink } from '../src/local-platform/log-line.ts';
import type { BackendConfig } from '../src/local-platform/manifest.ts';
import type { NodeDeps } from '../src/node-host/node-deps.ts';
import type { CoreCacheStore } from './core-cache-store.ts';
import type { CoreCacheTransactions } from './guest-core-cache.ts';
import type { GuestHttpCache } from './guest-http-cache.ts';

export interface HostServices {
  deps: NodeDeps;
  /** The store behind the guest's own HTTP cache transactions (`fastly_http_cache`). */
  httpCache: GuestHttpCache;
  /** Core cache transactions (`fastly_cache.transaction_*`) over the shared edge cache. */
  coreCache: CoreCacheTransactions;
  /** The core cache itself (`deps.cache` inserts into it), for plain lookups and what workers keep of them. */
  coreStore: CoreCacheStore;
  backends: Map<string, BackendConfig>;
  log: LineSink;
  stdio(fd: number, bytes: Uint8Array): void;
  unsupported(name: string): void;
}

export interface SessionResult {
  error: string | null;
  vcpuMs: number;
  /**
   * The part of `vcpuMs` spent instantiating the module. V8 copies the whole snapshot into the
   * instance's memory here; Wasmtime on Compute maps it copy-on-write, so this part grows with the
   * snapshot on this host only.
   */
  startMs: number;
  /**
   * Worker CPU spent making this instance's memory before its request (spare-memory.ts), outside
   * `vcpuMs`; null when the module makes its own memory inside the instance.
   */
  memoryMs: number | null;
  /** CPU inside hostcalls, when the host accounts it (GuestConfig.hostTime). */
  hostMs: number | null;
  /** With `hostMs`: its sum so far at each of the guest's `vCpuTime()` reads (hostcall-timeline.ts). */
  hostAtVcpuReads?: number[];
  /** The guest's linear memory when the instance ended (it only grows: the peak); 0 when unknown. */
  memoryBytes: number;
}
