/**
 * `fastly_cache` (the core cache behind `fastly:cache` CoreCache): lookup, insert and the entry
 * readers, backed by the Node host's memory edge cache on the main thread so every guest instance
 * shares it. The transactional calls are in cache-transaction-imports.ts.
 */
import { CacheLookupState, Status } from '../abi.ts';
import { utf8 } from '../guest-memory.ts';
import { readWriteOptions } from './cache-write-options.ts';
import type { HostContext, HostModule } from './host-context.ts';
import { valueOut } from './store-imports.ts';
import { cacheTransactionImports } from './cache-transaction-imports.ts';
import type { CacheLookupReply } from '../rpc-messages.ts';

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
    ...cacheTransactionImports(ctx),
    lookup: (kp: number, kl: number, _mask: number, _options: number, out: number) => {
      const key = memory.string(kp, kl);
      // A key never marked was never stored: the main thread would answer this miss (key-presence.ts),
      // and a hit on an object this worker was answered with, unchanged since, needs no round trip either.
      const reply: CacheLookupReply = ctx.cacheKeys?.mayHold(key) === false ? { found: false } : (ctx.coreHits?.answer(key) ?? asked(ctx, key));
      const found = reply.found
        ? { kind: 'cache' as const, found: true, stale: reply.stale, body: reply.body, meta: utf8(reply.meta), token: null }
        : { kind: 'cache' as const, found: false, stale: false, body: new Uint8Array(0), meta: new Uint8Array(0), token: null };
      memory.u32(out, table.add(found));
      return Status.ok;
    },
    insert: (kp: number, kl: number, mask: number, options: number, out: number) => {
      const key = memory.string(kp, kl);
      ctx.cacheKeys?.mark(key);
      const write = readWriteOptions(memory, mask, options);
      const onClose = (body: Uint8Array): void => {
        ctx.coreHits?.forgetAll();
        ctx.channel.post({ op: 'cache-insert', key, body, ...write });
      };
      memory.u32(out, table.add({ kind: 'buffer', chunks: [], onClose }));
      return Status.ok;
    },
    get_state: (h: number, out: number) => {
      const found = entry(h);
      if (!found) return Status.badf;
      const must = found.token === null ? 0 : CacheLookupState.mustInsertOrUpdate;
      const state = (found.found ? CacheLookupState.found | CacheLookupState.usable | (found.stale ? CacheLookupState.stale : 0) : 0) | must;
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
      const found = entry(h);
      if (!found) return Status.badf;
      // Closing a transaction that was told to insert, without inserting, lets the next waiter try.
      if (found.token !== null) ctx.channel.post({ op: 'cache-tx-release', token: found.token });
      table.delete(h);
      return Status.ok;
    },
  };
}

/** The main thread's answer, kept for the key's next lookups when it says the worker may answer them. */
function asked(ctx: HostContext, key: string): CacheLookupReply {
  const reply = ctx.channel.call({ op: 'cache-lookup', key });
  ctx.coreHits?.keep(key, reply);
  return reply;
}
