/**
 * The ports the core needs from a runtime, gathered in one `deps` object. The Fastly adapter
 * (src/fastly) and the Node host (src/node-host) each implement every port; tests build fakes.
 */
import type { CacheState } from './log/vocabulary.ts';

/** The fixed backend names of docs/contracts.md#names. */
export type BackendName = 'templates' | 'profiles' | 'fragments';
export const BACKEND_NAMES: readonly BackendName[] = ['templates', 'profiles', 'fragments'];

/** The fixed log endpoint names of docs/contracts.md#names. */
export type LogEndpoint = 'personalization_events' | 'clickstream';

/** Keys of the `personalization_config` config store. */
export type ConfigKey = 'settings' | 'segments' | 'experiments';

/** Keys of the `personalization_secrets` secret store. */
export type SecretKey = 'cookie_signing_key' | 'log_hash_key';

/** What the readthrough cache did with a backend fetch. */
export type { CacheState } from './log/vocabulary.ts';

export interface BackendFetchOptions {
  /** Bypass the readthrough cache: the request always reaches the backend and nothing is stored. */
  pass?: boolean;
  /** Replaces the default URL+Host cache key (Fastly hashes it into `fastly-xqd-cache-key`). */
  cacheKey?: string;
}

export interface BackendResponse {
  response: Response;
  cache: CacheState;
}

/** The subset of Fastly's geolocation record the product reads. */
export interface GeoRecord {
  countryCode: string | null;
  continent: string | null;
  region: string | null;
  city: string | null;
}

/** The subset of Fastly's device detection record the product reads. */
export interface DeviceRecord {
  isMobile: boolean | null;
  isTablet: boolean | null;
  isDesktop: boolean | null;
  isBot: boolean | null;
}

/** One entry of the edge object cache (Fastly core cache; an in-memory LRU on the Node host). */
export interface EdgeCacheEntry {
  body: Uint8Array;
  /** Opaque metadata stored with the body (JSON text by convention). */
  meta: string;
  /** True when past its TTL but inside its stale-while-revalidate window. */
  stale: boolean;
}

export interface EdgeCacheInsert {
  ttlMs: number;
  swrMs?: number;
  surrogateKeys?: readonly string[];
  meta?: string;
}

export interface EdgeCache {
  lookup(key: string): Promise<EdgeCacheEntry | null>;
  insert(key: string, body: Uint8Array, options: EdgeCacheInsert): Promise<void>;
  purgeSurrogateKey(key: string): Promise<void>;
}

export interface Deps {
  /** Sends a request to a named static backend through the readthrough cache (unless `pass`). */
  fetchBackend(backend: BackendName, request: Request, options?: BackendFetchOptions): Promise<BackendResponse>;
  /** Reads a key of the `personalization_config` store; null when the key is absent. */
  config(key: ConfigKey): string | null;
  /** Reads a key of the `personalization_secrets` store; null when absent. */
  secret(key: SecretKey): Promise<string | null>;
  /** Platform geolocation for a client address; null when unknown. */
  geo(address: string): GeoRecord | null;
  /** Platform device detection for a user agent; null when unknown. */
  device(userAgent: string): DeviceRecord | null;
  /** Writes one line to a log endpoint. */
  emit(endpoint: LogEndpoint, line: string): void;
  /** The edge object cache, for per-visitor profiles, breaker state and assembled pages. */
  cache: EdgeCache;
  /** Milliseconds from an arbitrary origin, for durations. */
  now(): number;
  /**
   * Counts one event for `entry` and says whether the entry is over `perSecond` on average over
   * `windowSeconds`; an entry over the limit stays limited for a minute (Fastly's Edge Rate
   * Limiter with a penalty box on Compute; the same policy in memory on the Node host).
   */
  overRateLimit(entry: string, perSecond: number, windowSeconds: 1 | 10 | 60): boolean;
  /** CPU time used by this request so far in ms, when the runtime can tell. */
  cpuMs(): number | null;
  /** The POP (or host name locally) serving the request. */
  pop: string;
  /** Build version reported by /__health. */
  version: string;
  /** Which runtime this is, for /__health. */
  runtime: 'fastly' | 'node';
}

/** Per-request facts the runtime knows and the client cannot forge. */
export interface RequestContext {
  /** The client address from the platform (socket address on the Node host). */
  clientAddress: string;
  /** A unique id for this request. */
  requestId: string;
  /** Keeps work alive after the response is sent (FetchEvent.waitUntil on Fastly). */
  waitUntil(work: Promise<unknown>): void;
}
