/**
 * What the guest's HTTP cache (guest-http-cache.ts) stores and answers: the write options a guest
 * sends with an object, a lookup's answer, the objects and markers it keeps, and the variant key
 * workers compute too (kept-http-hits.ts).
 */
import type { HeaderPairs } from './guest-headers.ts';

/** What a guest writes with an object (fastly_http_cache write options), in milliseconds. */
export interface HttpCacheWrite {
  maxAgeMs: number;
  initialAgeMs: number;
  swrMs: number;
  sieMs: number;
  surrogateKeys: string[];
  /** Request header names the object varies on, lowercased. */
  vary: string[];
  sensitive: boolean;
}

export interface StoredResponse {
  status: number;
  headers: HeaderPairs;
  body: Uint8Array;
}

/** A found object as the guest sees it at lookup time. */
export interface FoundObject extends StoredResponse, HttpCacheWrite {
  ageMs: number;
  hits: number;
}

/** A fresh object a worker may answer itself until its cell's generation changes (kept-http-hits.ts). */
export interface KeptObject {
  cell: number;
  gen: number;
  storedAt: number;
  /** The `Vary` marker the lookup's key holds, when the object is one of its variants. */
  marker?: { cell: number; gen: number; names: string[] };
}

export interface HttpCacheLookup {
  state: number;
  found: FoundObject | null;
  /** False for an object only usable if the origin fails (it needs `transaction_choose_stale`). */
  servable: boolean;
  /** Set when this lookup must insert or update: release it with `insert`, `recordPass` or `release`. */
  token: number | null;
  /** Set on a fresh hit a worker may answer itself from now on; not part of what the guest sees. */
  kept?: KeptObject;
}

export interface StoredObject extends StoredResponse, HttpCacheWrite {
  kind: 'object';
  storedAt: number;
  hits: number;
}

export type VaryMarker = { kind: 'vary'; names: string[] };
export type Slot = StoredObject | VaryMarker | { kind: 'pass'; until: number };

/** The key an object varying on `names` is stored under for a request with `headers` (a worker computes it too). */
export function variantOf(baseKey: string, headers: HeaderPairs, names: readonly string[]): string {
  if (names.length === 0) return baseKey;
  const values = names.map((name) => headers.filter(([header]) => header === name).map(([, value]) => value).join(', '));
  return `${baseKey}\n${JSON.stringify(values)}`;
}
