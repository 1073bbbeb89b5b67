/**
 * The per-request handle table of one guest instance: requests, responses, bodies, pending requests,
 * cache entries and stores share one handle space, as on Compute, so `select` can take any of them.
 * Bodies that only exist inside the sandbox live here; backend bodies stay on the main thread.
 */
import type { HeaderList } from './guest-headers.ts';
import type { FoundObject } from './http-cache-objects.ts';
import type { HeaderPairs } from './rpc-messages.ts';
import { concatBytes } from '../src/core/http/concat-bytes.ts';

export interface GuestRequest {
  kind: 'request';
  method: string;
  uri: string;
  headers: HeaderList;
  pass: boolean;
}

export interface GuestResponse {
  kind: 'response';
  status: number;
  headers: HeaderList;
  /** What the readthrough cache did, for responses from a backend. */
  cache: string | null;
}

/** Bytes held in the sandbox (new bodies, the downstream request body, cache hits). */
export interface BufferBody {
  kind: 'buffer';
  chunks: Uint8Array[];
  /** Set for bodies returned by `fastly_cache.insert`: closing them stores the object. */
  onClose: ((bytes: Uint8Array) => void) | null;
  /**
   * Bytes that follow `chunks` but are still on the main thread: the client's request body, and any
   * body it was appended to. They are read only when the guest reads them, so a pass-through streams
   * an upload to the backend instead of holding it in the sandbox.
   */
  tail?: RemoteBody | null;
}

/** A backend response body, read through the main thread. */
export interface RemoteBody {
  kind: 'remote';
  id: number;
  done: boolean;
}

/** The body of a downstream response sent with `streaming = 1`. */
export interface StreamBody {
  kind: 'stream';
}

export type GuestBody = BufferBody | RemoteBody | StreamBody;

export interface PendingRequest {
  kind: 'pending';
  id: number;
}

export interface CacheEntry {
  kind: 'cache';
  found: boolean;
  stale: boolean;
  body: Uint8Array;
  meta: Uint8Array;
  /** Set on a transaction told to insert or update: the store's obligation it must settle. */
  token: number | null;
}

/** A `fastly_cache.transaction_lookup_async` that may still be waiting on another instance's insert. */
export interface CacheBusy {
  kind: 'cache-busy';
  id: number;
}

/** A `fastly_http_cache` transaction: what the lookup found and whether this instance must fill it. */
export interface HttpCacheHandle {
  kind: 'http-cache';
  key: string;
  /** The looked-up request, for the suggested backend request and the `Vary` of an insert. */
  request: { method: string; uri: string; headers: HeaderPairs };
  state: number;
  found: FoundObject | null;
  /** Whether `get_found_response` may return `found` (a stale-if-error copy needs `transaction_choose_stale`). */
  servable: boolean;
  token: number | null;
}

/** A config store, secret store or log endpoint opened by name. */
export type NamedHandle = { kind: 'config'; name: string } | { kind: 'secret-store'; name: string } | { kind: 'log'; name: string };

export interface SecretValue {
  kind: 'secret';
  value: Uint8Array;
}

export type Resource = GuestRequest | GuestResponse | GuestBody | PendingRequest | CacheEntry | CacheBusy | HttpCacheHandle | NamedHandle | SecretValue;

export class HandleTable {
  private next = 1;
  private readonly items = new Map<number, Resource>();

  add(item: Resource): number {
    const handle = this.next;
    this.next += 1;
    this.items.set(handle, item);
    return handle;
  }

  get(handle: number): Resource | undefined {
    return this.items.get(handle);
  }

  delete(handle: number): void {
    this.items.delete(handle);
  }

  /** Replaces what a handle refers to (a body turning into a downstream stream keeps its handle). */
  set(handle: number, item: Resource): void {
    this.items.set(handle, item);
  }

  /** Empties the table for the next instance, whose handles count from 1 again (instance-kit.ts). */
  reset(): void {
    this.next = 1;
    this.items.clear();
  }

  /**
   * The handle's item if it is one of up to three kinds. Fixed parameters, not a rest list: this
   * runs in almost every hostcall (~185 a page), and a rest list made an array and an `includes`
   * call each time.
   */
  of<K extends Resource['kind']>(handle: number, kind: K, or?: K, orElse?: K): Extract<Resource, { kind: K }> | undefined {
    const item = this.items.get(handle);
    if (item === undefined) return undefined;
    const found = item.kind;
    return found === kind || found === or || found === orElse ? (item as Extract<Resource, { kind: K }>) : undefined;
  }
}

export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  return chunks.length === 1 && chunks[0] ? chunks[0] : concatBytes(chunks);
}
