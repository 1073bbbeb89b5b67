/**
 * `fastly_cache.transaction_*`: Core Cache transactions with request collapsing, as
 * js-compute-runtime drives them for `CoreCache.transactionLookup` and
 * `CoreCache.transactionLookupAsync(key).wait(ms)`. A lookup starts on the main thread's shared
 * store (guest-core-cache.ts) and answers with a busy handle the guest can select on; waiting on it
 * parks this worker until the store answers, which for a key another instance must insert is when
 * that instance inserts or gives up. The one told to insert holds a token until it inserts,
 * updates, cancels or closes.
 */
import { Status } from '../abi.ts';
import type { CoreCacheTransaction } from '../guest-core-cache.ts';
import type { CacheEntry } from '../guest-state.ts';
import { utf8 } from '../guest-memory.ts';
import { readWriteOptions } from './cache-write-options.ts';
import type { HostContext, HostModule } from './host-context.ts';

export function cacheTransactionImports(ctx: HostContext): HostModule {
  const { memory, table, channel } = ctx;
  // Counts on across the instances of a worker (instance-kit.ts): an id only names a lookup to this
  // instance's session on the main thread, so it needs to be unique there, and no guest sees it.
  let nextLookup = 1;
  const entry = (h: number) => table.of(h, 'cache');
  const start = (kp: number, kl: number): number => {
    const id = nextLookup++;
    const key = memory.string(kp, kl);
    // Marked before the post: whatever this transaction inserts is then seen by a later lookup.
    ctx.cacheKeys?.mark(key);
    channel.post({ op: 'cache-tx-start', id, key });
    return id;
  };
  const waitFor = (id: number): CacheEntry => toEntry(channel.call({ op: 'cache-tx-wait', id }));
  /** A body handle whose close inserts for `token`; `stored` sees the bytes. */
  const insertBody = (found: CacheEntry, mask: number, options: number, stored?: (body: Uint8Array) => void): number => {
    const token = found.token;
    found.token = null;
    const write = readWriteOptions(memory, mask, options);
    return table.add({
      kind: 'buffer',
      chunks: [],
      onClose: (body) => {
        stored?.(body);
        if (token === null) return;
        ctx.coreHits?.forgetAll();
        channel.post({ op: 'cache-tx-insert', token, body, ...write });
      },
    });
  };
  return {
    transaction_lookup: (kp: number, kl: number, _mask: number, _options: number, out: number) => {
      memory.u32(out, table.add(waitFor(start(kp, kl))));
      return Status.ok;
    },
    transaction_lookup_async: (kp: number, kl: number, _mask: number, _options: number, out: number) => {
      memory.u32(out, table.add({ kind: 'cache-busy', id: start(kp, kl) }));
      return Status.ok;
    },
    cache_busy_handle_wait: (busy: number, out: number) => {
      const pending = table.of(busy, 'cache-busy');
      if (!pending) return Status.badf;
      table.delete(busy);
      memory.u32(out, table.add(waitFor(pending.id)));
      return Status.ok;
    },
    close_busy: (busy: number) => {
      const pending = table.of(busy, 'cache-busy');
      if (!pending) return Status.badf;
      table.delete(busy);
      channel.post({ op: 'cache-tx-close-busy', id: pending.id });
      return Status.ok;
    },
    transaction_insert: (h: number, mask: number, options: number, bodyOut: number) => {
      const found = entry(h);
      if (!found) return Status.badf;
      if (found.token === null) return Status.inval;
      memory.u32(bodyOut, insertBody(found, mask, options));
      return Status.ok;
    },
    transaction_insert_and_stream_back: (h: number, mask: number, options: number, bodyOut: number, cacheOut: number) => {
      const found = entry(h);
      if (!found) return Status.badf;
      if (found.token === null) return Status.inval;
      // The object reads back once its body is closed, as the runtime does before reading it.
      const back: CacheEntry = { kind: 'cache', found: true, stale: false, body: new Uint8Array(0), meta: new Uint8Array(0), token: null };
      memory.u32(bodyOut, insertBody(found, mask, options, (body) => (back.body = body)));
      memory.u32(cacheOut, table.add(back));
      return Status.ok;
    },
    transaction_update: (h: number, mask: number, options: number) => {
      const found = entry(h);
      if (!found) return Status.badf;
      if (found.token === null || !found.found) return Status.inval;
      const write = readWriteOptions(memory, mask, options);
      ctx.coreHits?.forgetAll();
      channel.post({ op: 'cache-tx-insert', token: found.token, body: found.body, ...write });
      found.token = null;
      return Status.ok;
    },
    transaction_cancel: (h: number) => {
      const found = entry(h);
      if (!found) return Status.badf;
      if (found.token !== null) channel.post({ op: 'cache-tx-release', token: found.token });
      found.token = null;
      return Status.ok;
    },
  };
}

function toEntry(reply: CoreCacheTransaction): CacheEntry {
  const empty = new Uint8Array(0);
  if (!reply.found) return { kind: 'cache', found: false, stale: false, body: empty, meta: empty, token: reply.token };
  return { kind: 'cache', found: true, stale: reply.stale, body: reply.body, meta: utf8(reply.meta), token: reply.token };
}
