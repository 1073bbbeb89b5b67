/**
 * The read side of a `fastly_http_cache` handle: its lookup state, the found response and body, and
 * the object's metadata (lifetimes in nanoseconds, hits, surrogate keys, vary rule). Reads of an
 * object that was not found answer `none`, as the runtime expects.
 */
import { Status } from '../abi.ts';
import { fromLatin1, HeaderList, writeValue } from '../guest-headers.ts';
import type { FoundObject } from '../http-cache-objects.ts';
import type { HostContext, HostModule } from './host-context.ts';

const NS_PER_MS = 1_000_000n;
const ns = (ms: number): bigint => BigInt(Math.max(0, Math.round(ms))) * NS_PER_MS;

export function httpCacheReaders(ctx: HostContext): HostModule {
  const { memory, table } = ctx;
  const entry = (h: number) => table.of(h, 'http-cache');
  const u64 = (read: (found: FoundObject) => bigint) => (h: number, out: number) => {
    const handle = entry(h);
    if (!handle) return Status.badf;
    if (!handle.found) return Status.none;
    memory.u64(out, read(handle.found));
    return Status.ok;
  };
  const text = (read: (found: FoundObject) => readonly string[]) => (h: number, buf: number, len: number, nwritten: number) => {
    const handle = entry(h);
    if (!handle) return Status.badf;
    const items = handle.found ? read(handle.found) : [];
    if (items.length === 0) return Status.none;
    return writeValue(memory, fromLatin1(items.join(' ')), buf, len, nwritten);
  };
  return {
    get_state: (h: number, out: number) => {
      const handle = entry(h);
      if (!handle) return Status.badf;
      memory.u8(out, handle.state);
      return Status.ok;
    },
    get_found_response: (h: number, forClient: number, respOut: number, bodyOut: number) => {
      const handle = entry(h);
      if (!handle) return Status.badf;
      const found = handle.servable ? handle.found : null;
      if (!found) return Status.none;
      const headers = new HeaderList(found.headers.map(([name, value]) => [name, value]));
      // Delivered to a client, a stored response says how long it has been in cache (RFC 9111 §5.1).
      if (forClient !== 0) headers.insert('age', String(Math.floor(found.ageMs / 1000)));
      memory.u32(respOut, table.add({ kind: 'response', status: found.status, headers, cache: null }));
      // Shared, not copied: a body's chunks are only ever read, moved or posted (a copy), never written in place.
      memory.u32(bodyOut, table.add({ kind: 'buffer', chunks: found.body.byteLength > 0 ? [found.body] : [], onClose: null }));
      return Status.ok;
    },
    get_length: u64((found) => BigInt(found.body.byteLength)),
    get_max_age_ns: u64((found) => ns(found.maxAgeMs)),
    get_stale_while_revalidate_ns: u64((found) => ns(found.swrMs)),
    get_stale_if_error_ns: u64((found) => ns(found.sieMs)),
    get_age_ns: u64((found) => ns(found.ageMs)),
    get_hits: u64((found) => BigInt(found.hits)),
    get_sensitive_data: (h: number, out: number) => {
      const handle = entry(h);
      if (!handle) return Status.badf;
      if (!handle.found) return Status.none;
      memory.u32(out, handle.found.sensitive ? 1 : 0);
      return Status.ok;
    },
    get_surrogate_keys: text((found) => found.surrogateKeys),
    get_vary_rule: text((found) => found.vary),
  };
}
