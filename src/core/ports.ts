/**
 * The ports the core needs from a runtime, gathered in one `deps` object. The Fastly adapter
 * (src/fastly) and the Node host (src/node-host) each implement every port; tests build fakes.
 */
import type { CacheState } from './log/vocabulary.ts';
import type { ChunkViews } from './esi/chunk-view.ts';
import type { PageBodies } from './esi/page-writer.ts';

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

export interface BackendFetchOptions {
  /** Bypass the readthrough cache: the request always reaches the backend and nothing is stored. */
  pass?: boolean;
  /** Replaces the default URL+Host cache key (Fastly hashes it into `fastly-xqd-cache-key`). */
  cacheKey?: string;
}

/**
 * A request the edge builds from scratch, as plain data: a bodiless GET (a template or fragment
 * read), or a POST of `body` (a profile write). In the Wasm guest a `Request` costs three hostcalls
 * and a header copy, and `fetch` then builds a request of its own from it. The headers belong to
 * this one call: an adapter may add to them in place.
 */
export interface EdgeGet {
  readonly url: string;
  readonly headers: Record<string, string>;
  /** Present: the request is a POST of this text. */
  readonly body?: string;
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

/**
 * A miss this caller was asked to fill: concurrent collapsing lookups of the key wait until it
 * inserts or abandons. Whoever gets one must settle it, once.
 */
export interface EdgeCacheFill {
  /** Inserts the entry and hands it to the waiting callers. */
  insert(body: Uint8Array, options: EdgeCacheInsert): Promise<void>;
  /** Gives up: the waiting callers go on without an entry (one of them may be asked to fill). */
  abandon(): void;
}

/**
 * What a collapsing lookup found: an entry, or a miss with the obligation to fill it, or (after
 * another caller's fill gave up or outlasted the wait) a miss with no obligation.
 */
export type EdgeCacheClaim = { entry: EdgeCacheEntry; fill: null } | { entry: null; fill: EdgeCacheFill | null };

export interface EdgeCache {
  lookup(key: string): Promise<EdgeCacheEntry | null>;
  /**
   * Request collapsing (Fastly's CoreCache.transactionLookup): of concurrent lookups that miss,
   * one gets the fill and the others wait, at most `waitMs`, for what it inserts.
   */
  lookupOrFill(key: string, waitMs: number): Promise<EdgeCacheClaim>;
  insert(key: string, body: Uint8Array, options: EdgeCacheInsert): Promise<void>;
  purgeSurrogateKey(key: string): Promise<void>;
}

/** HMAC-SHA256 under one secret. */
export interface HmacKey {
  /**
   * The MAC as the platform returns it: turning Web Crypto's ArrayBuffer into bytes would cost one
   * more promise reaction per MAC (~10 µs inside the Wasm guest), so the callers take either.
   */
  sign(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array | ArrayBuffer>;
  /** True when `signature` is the MAC of `data`, compared in constant time. */
  verify(signature: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>): Promise<boolean>;
  /**
   * Optional, synchronous: whether `mac` (canonical unpadded base64url) is the MAC of `text`'s
   * UTF-8 bytes, compared in constant time. Offered where HMAC is a cheap native call (node:crypto);
   * Web Crypto has none, so the Wasm guest keeps `verify`.
   */
  verifyTextNow?(mac: string, text: string): boolean;
  /** Optional, synchronous: the MAC of `text`'s UTF-8 bytes as unpadded base64url (see verifyTextNow). */
  signTextNow?(text: string): string;
}

/**
 * HMAC and SHA-256. Web Crypto everywhere by default; a host may offer a faster implementation
 * with the same results (on Node, Web Crypto is a round trip through libuv's thread pool).
 */
export interface CryptoPort {
  /** The key for `secret`; implementations remember imported keys per secret. */
  hmacKey(secret: string): Promise<HmacKey>;
  /**
   * The digest as the platform returns it: turning Web Crypto's ArrayBuffer into bytes would cost
   * one more promise reaction (~10 µs inside the Wasm guest).
   */
  sha256(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array | ArrayBuffer>;
  /** Optional, synchronous: the SHA-256 of `text`'s UTF-8 bytes in lowercase hex (see verifyTextNow). */
  sha256HexNow?(text: string): string;
}

export interface Deps {
  /** Sends a request to a named static backend through the readthrough cache (unless `pass`). */
  fetchBackend(backend: BackendName, request: Request | EdgeGet, options?: BackendFetchOptions): Promise<BackendResponse>;
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
  /** HMAC for signed cookies and pseudonyms, SHA-256 for cache keys. */
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
