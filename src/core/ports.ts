/**
 * The ports the core needs from a runtime, gathered in one `deps` object. The Fastly adapter
 * (src/fastly) and the Node host (src/node-host) each implement every port; tests build fakes.
 */
import type { ChunkViews } from './esi/chunk-view.ts';
import type { PageBodies } from './esi/page-writer.ts';
import type { EdgeCache } from './edge-cache-port.ts';
import type { CryptoPort } from './crypto/crypto-port.ts';
import type { FetchBackend } from './backend/backend-port.ts';

/** The edge object cache's, the crypto and the backend ports, each in its own file, named here as before. */
export type { EdgeCache, EdgeCacheClaim, EdgeCacheEntry, EdgeCacheFill, EdgeCacheInsert } from './edge-cache-port.ts';
export type { CryptoPort, HmacKey } from './crypto/crypto-port.ts';
export type { BackendFetchOptions, BackendResponse, BackendSettle, EdgeGet, FetchBackend, OriginGate } from './backend/backend-port.ts';

/** The fixed backend names of docs/contracts.md#names. */
export type BackendName = 'templates' | 'profiles' | 'fragments';
export const BACKEND_NAMES: readonly BackendName[] = ['templates', 'profiles', 'fragments'];

/** The fixed log endpoint names of docs/contracts.md#names. */
export type LogEndpoint = 'personalization_events' | 'clickstream';

/** Keys of the `personalization_config` config store. */
export type ConfigKey = 'settings' | 'segments' | 'experiments';

/** Keys of the `personalization_secrets` secret store. */
export type SecretKey = 'cookie_signing_key' | 'log_hash_key' | 'preview_signing_key';

/** A secret as a store hands it over: its text, or an entry whose `plaintext()` reads it. */
export type SecretValue = string | { plaintext(): string };

/** What the readthrough cache did with a backend fetch. */
export type { CacheState } from './log/vocabulary.ts';

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

export interface Deps {
  /** Sends a request to a named static backend through the readthrough cache (unless `pass`); backend-port.ts. */
  fetchBackend: FetchBackend;
  /** Reads a key of the `personalization_config` store; null when the key is absent. */
  config(key: ConfigKey): string | null;
  /**
   * Reads a key of the `personalization_secrets` store; null when absent. The value may be the
   * store's own entry, its text read by `plaintext()` (which may throw) where it is used: on Fastly
   * the adapter then hands over the store's promise as it is, one promise job fewer per secret.
   */
  secret(key: SecretKey): Promise<SecretValue | null>;
  /** Platform geolocation for a client address; null when unknown. */
  geo(address: string): GeoRecord | null;
  /** Platform device detection for a user agent; null when unknown. */
  device(userAgent: string): DeviceRecord | null;
  /** Writes one line to a log endpoint. */
  emit(endpoint: LogEndpoint, line: string): void;
  /** The edge object cache, for per-visitor profiles, breaker state and assembled pages. */
  cache: EdgeCache;
  /** HMAC for signed cookies and pseudonyms, SHA-256 for cache keys past 1 KiB. */
  crypto: CryptoPort;
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
  /**
   * How the ESI tokenizer searches template chunks on this host (chunk-view.ts); absent: the
   * runtime's choice in runtime-views.ts. The Node host's is memchr-backed (src/node-host).
   */
  chunkViews?: ChunkViews;
}

/** Per-request facts the runtime knows and the client cannot forge. */
export interface RequestContext {
  /** The client address from the platform (socket address on the Node host). */
  clientAddress: string;
  /** A unique id for this request. */
  requestId: string;
  /** Keeps work alive after the response is sent (FetchEvent.waitUntil on Fastly). */
  waitUntil(work: Promise<unknown>): void;
  /**
   * How an assembled page's bytes leave (esi/page-writer.ts): absent, as a web stream that is the
   * response's body; the Node host takes them to its socket without one.
   */
  pageBody?: PageBodies;
}
