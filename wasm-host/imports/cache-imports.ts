/**
 * `fastly_cache` (the core cache behind `fastly:cache` CoreCache), non-transactional lookup and
 * insert, backed by the Node host's memory edge cache on the main thread so every guest instance
 * shares it. Transactions are not emulated (they answer `unsupported`).
 */
import { CacheLookupState, CacheWriteMask, Status } from '../abi.ts';
import type { GuestMemory } from '../guest-memory.ts';
import type { HostContext, HostModule } from './host-context.ts';
import { valueOut } from './store-imports.ts';

const NS_PER_MS = 1_000_000n;

export function cacheImports(ctx: HostContext): HostModule {
  const { memory, table } = ctx;
  const entry = (h: number) => table.of(h, 'cache');
  const u64 = (read: (found: NonNullable<ReturnType<typeof entry>>) => number) => (h: number, out: number) => {
    const found = entry(h);
    if (!found) return Status.badf;
    if (!found.found) return Status.none;
    memory.u64(out, read(found));
    return Status.ok;
  };
  return {
    lookup: (kp: number, kl: number, _mask: number, _options: number, out: number) => {
      const reply = ctx.channel.call({ op: 'cache-lookup', key: memory.string(kp, kl) });
      const found = reply.found
        ? { kind: 'cache' as const, found: true, stale: reply.stale, body: reply.body, meta: new TextEncoder().encode(reply.meta) }
        : { kind: 'cache' as const, found: false, stale: false, body: new Uint8Array(0), meta: new Uint8Array(0) };
      memory.u32(out, table.add(found));
      return Status.ok;
    },
    insert: (kp: number, kl: number, mask: number, options: number, out: number) => {
      const key = memory.string(kp, kl);
      const write = readWriteOptions(memory, mask, options);
      const onClose = (body: Uint8Array): void => ctx.channel.post({ op: 'cache-insert', key, body, ...write });
      memory.u32(out, table.add({ kind: 'buffer', chunks: [], onClose }));
      return Status.ok;
    },
    get_state: (h: number, out: number) => {
      const found = entry(h);
      if (!found) return Status.badf;
      const state = found.found ? CacheLookupState.found | CacheLookupState.usable | (found.stale ? CacheLookupState.stale : 0) : 0;
      memory.u8(out, state);
      return Status.ok;
    },
    get_body: (h: number, _mask: number, _options: number, out: number) => {
      const found = entry(h);
      if (!found) return Status.badf;
      if (!found.found) return Status.none;
      memory.u32(out, table.add({ kind: 'buffer', chunks: [found.body], onClose: null }));
      return Status.ok;
    },
    get_user_metadata: (h: number, buf: number, len: number, nwritten: number) => {
      const found = entry(h);
      if (!found) return Status.badf;
      if (!found.found) return Status.none;
      return valueOut(ctx, found.meta, buf, len, nwritten);
    },
    get_length: u64((found) => found.body.byteLength),
    get_max_age_ns: u64(() => 0),
    get_stale_while_revalidate_ns: u64(() => 0),
    get_age_ns: u64(() => 0),
    get_hits: u64(() => 0),
    close: (h: number) => {
      if (!entry(h)) return Status.badf;
      table.delete(h);
      return Status.ok;
    },
  };
}

interface WriteOptions {
  ttlMs: number;
  swrMs: number;
  surrogateKeys: string[];
  meta: string;
}

/** `CacheWriteOptions` (fastly.h, wasm32): u64 max_age_ns @0, swr @32, surrogate keys @40/44, metadata @56/60. */
function readWriteOptions(memory: GuestMemory, mask: number, ptr: number): WriteOptions {
  const view = memory.view();
  const ms = (ns: bigint): number => Number(ns / NS_PER_MS);
  const text = (at: number): string => memory.string(view.getUint32(at, true), view.getUint32(at + 4, true));
  return {
    ttlMs: ms(view.getBigUint64(ptr, true)),
    swrMs: mask & CacheWriteMask.staleWhileRevalidateNs ? ms(view.getBigUint64(ptr + 32, true)) : 0,
    surrogateKeys: mask & CacheWriteMask.surrogateKeys ? text(ptr + 40).split(' ').filter(Boolean) : [],
    meta: mask & CacheWriteMask.userMetadata ? text(ptr + 56) : '',
  };
}
