/**
 * A small JSON document kept in one edge cache entry (a visitor's cached profile, a template's
 * variation). It goes in the entry's metadata with an empty body when it fits: reading it back
 * then takes no body stream, which in the Wasm guest is a reader, a read's promise and two
 * hostcalls on every page. A larger one stays in the body, since the platform documents no bound
 * for the metadata. Entries written either way read back the same.
 */
import type { EdgeCacheEntry, EdgeCacheInsert } from './edge-cache-port.ts';

/** Documents up to this many UTF-16 units (at most 12 KiB of UTF-8) are kept in the metadata. */
export const MAX_META_CHARS = 4096;

const EMPTY = new Uint8Array(0);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The body to insert and the insert options' `meta` for the document `text`. */
export function documentEntry(text: string): { body: Uint8Array; meta: EdgeCacheInsert['meta'] } {
  return text.length <= MAX_META_CHARS ? { body: EMPTY, meta: text } : { body: encoder.encode(text), meta: undefined };
}

/** The document an entry holds, from its metadata or its body. */
export function documentText(entry: EdgeCacheEntry): string {
  return entry.body.byteLength === 0 ? entry.meta : decoder.decode(entry.body);
}
