/**
 * Writing an edge cache entry into a core cache (`fastly:cache`, or the warm-up's in-memory one):
 * the insert's options from the edge cache's (TTLs in milliseconds, surrogate keys, metadata), and
 * the body as the platform's types want it. Shared by a plain insert and a transaction's fill.
 */
import type { EdgeCacheInsert } from '../core/ports.ts';
import type { CoreInsertOptions } from './core-cache-port.ts';

/** The core's bodies are never on a SharedArrayBuffer (the guest has no threads); the platform's types want that said. */
export function unshared(body: Uint8Array): Uint8Array<ArrayBuffer> {
  return body as Uint8Array<ArrayBuffer>;
}

/** A core insert's options from an edge cache insert's; the surrogate keys copied into the mutable array the platform's type asks for. */
export function insertOptions(body: Uint8Array, options: EdgeCacheInsert): CoreInsertOptions {
  return {
    maxAge: options.ttlMs,
    staleWhileRevalidate: options.swrMs ?? 0,
    surrogateKeys: options.surrogateKeys ? options.surrogateKeys.slice() : [],
    userMetadata: options.meta ?? '',
    length: body.byteLength,
  };
}
