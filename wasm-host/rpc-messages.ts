/**
 * The messages between a guest worker and the main thread. Posts are fire-and-forget and handled in
 * order; calls block the guest until the main thread answers (sync-channel.ts).
 */
import type { CoreCacheTransaction } from './guest-core-cache.ts';
import type { HttpCacheLookup, HttpCacheWrite, StoredResponse } from './http-cache-objects.ts';

import type { HeaderPairs } from './guest-headers.ts';

export type { HeaderPairs };

export interface OutgoingRequest {
  pending: number;
  backend: string;
  method: string;
  url: string;
  headers: HeaderPairs;
  body: Uint8Array | null;
  /** A remote body whose bytes follow `body` (the client's upload, streamed through). */
  bodyTail: { id: number } | null;
  pass: boolean;
  /** The guest's cache key override, if the request carried one. */
  cacheKey: string | null;
}

export type ResponseBody = { kind: 'bytes'; bytes: Uint8Array } | { kind: 'remote'; id: number } | { kind: 'stream' };

export type GuestPost =
  | { op: 'send'; request: OutgoingRequest }
  | { op: 'respond'; status: number; headers: HeaderPairs; body: ResponseBody }
  | { op: 'stream-write'; bytes: Uint8Array }
  | { op: 'stream-pipe'; id: number }
  | { op: 'stream-end' }
  | { op: 'discard'; id: number }
  | { op: 'log'; endpoint: string; message: string }
  | { op: 'stdio'; fd: number; bytes: Uint8Array }
  | { op: 'unsupported'; name: string }
  | { op: 'cache-insert'; key: string; body: Uint8Array; ttlMs: number; swrMs: number; surrogateKeys: string[]; meta: string }
  | { op: 'cache-tx-start'; id: number; key: string }
  | { op: 'cache-tx-close-busy'; id: number }
  | { op: 'cache-tx-insert'; token: number; body: Uint8Array; ttlMs: number; swrMs: number; surrogateKeys: string[]; meta: string }
  | { op: 'cache-tx-release'; token: number }
  | { op: 'purge'; key: string; soft: boolean }
  | { op: 'http-cache-insert'; token: number; key: string; requestHeaders: HeaderPairs; response: StoredResponse; write: HttpCacheWrite }
  | { op: 'http-cache-update'; token: number; key: string; requestHeaders: HeaderPairs; head: Omit<StoredResponse, 'body'>; write: HttpCacheWrite }
  | { op: 'http-cache-pass'; token: number; key: string; requestHeaders: HeaderPairs; maxAgeMs: number }
  | { op: 'http-cache-release'; token: number }
  | { op: 'done'; error: string | null; vcpuMs: number; startMs: number; hostMs: number | null; hostAtVcpuReads?: number[]; memoryBytes?: number; memoryMs?: number | null };

export interface SelectItem {
  kind: 'pending' | 'body' | 'cache-busy';
  id: number;
}

export type GuestCall =
  | { op: 'select'; items: SelectItem[]; timeoutMs: number | null }
  | { op: 'wait'; pending: number }
  | { op: 'read'; id: number; max: number }
  | { op: 'cache-lookup'; key: string }
  | { op: 'cache-tx-wait'; id: number }
  | { op: 'http-cache-lookup'; key: string; headers: HeaderPairs };

export type WaitReply =
  | { ok: true; status: number; headers: HeaderPairs; body: number | null; cache: string }
  | { ok: false; tag: number; message: string };

export interface SelectReply {
  /** Index into the call's items of one that is ready, or null when the timeout expired. */
  ready: number | null;
}

export interface ReadReply {
  bytes: Uint8Array;
  done: boolean;
  error: string | null;
}

/** Set on a core cache hit a worker may answer itself from now on (kept-core-hits.ts); not part of what the guest sees. */
export interface KeptCoreObject {
  cell: number;
  gen: number;
  storedAt: number;
  ttlMs: number;
  swrMs: number;
}

export type CacheLookupReply = { found: false } | { found: true; body: Uint8Array; meta: string; stale: boolean; kept?: KeptCoreObject };

export interface CallReplies {
  select: SelectReply;
  wait: WaitReply;
  read: ReadReply;
  'cache-lookup': CacheLookupReply;
  'cache-tx-wait': CoreCacheTransaction;
  'http-cache-lookup': HttpCacheLookup;
}

/** One downstream request as the guest sees it. */
export interface GuestJob {
  method: string;
  url: string;
  headers: HeaderPairs;
  /** The main thread's id for the client's request body (read on demand), or null without one. */
  bodyId: number | null;
  clientIp: string;
  serverIp: string;
  requestId: string;
}
