/**
 * `fastly_http_cache`: the HTTP cache API js-compute-runtime uses for every non-pass `fetch` when the
 * guest was built with `--enable-http-cache` (guest-side caching, runtime/fastly/builtins/fetch/fetch.cpp).
 * A lookup is a blocking call to the main thread's store (guest-http-cache.ts), which collapses
 * concurrent misses; the guest then sends the suggested request itself without host caching
 * (`send_async_v2`), runs its hooks, and inserts what it decided through these calls.
 */
import { HTTP_CACHE_LOOKUP_OVERRIDE_KEY, HttpCacheState, Status } from '../abi.ts';
import { HeaderList } from '../guest-headers.ts';
import type { FoundObject, HttpCacheWrite } from '../http-cache-objects.ts';
import type { HttpCacheHandle } from '../guest-state.ts';
import type { HostContext, HostModule } from './host-context.ts';
import { httpCacheReaders } from './http-cache-readers.ts';
import { readWriteOptions, suggestedAction, suggestedOptions, writeSuggested } from './http-cache-options.ts';

const CACHEABLE_METHODS = new Set(['GET', 'HEAD']);

export function httpCacheImports(ctx: HostContext): HostModule {
  const { memory, table, channel } = ctx;
  const entry = (h: number) => table.of(h, 'http-cache');
  const response = (h: number) => table.of(h, 'response');
  /** Ends this handle's obligation to fill (the store wakes the instances waiting on it). */
  const settle = (handle: HttpCacheHandle): void => {
    if (handle.token !== null) channel.post({ op: 'http-cache-release', token: handle.token });
    handle.token = null;
  };
  /** A body handle whose close stores the object; `stored` sees what was stored. */
  const insertBody = (handle: HttpCacheHandle, resp: number, mask: number, options: number, stored?: (found: FoundObject) => void): number => {
    const head = response(resp);
    if (!head) return Status.badf;
    const write = readWriteOptions(memory, mask, options);
    const token = handle.token;
    handle.token = null;
    const status = head.status;
    const headers = head.headers.pairs();
    return table.add({
      kind: 'buffer',
      chunks: [],
      onClose: (body) => {
        stored?.({ status, headers, body, ...write, ageMs: write.initialAgeMs, hits: 0 });
        if (token !== null) channel.post({ op: 'http-cache-insert', token, key: handle.key, requestHeaders: handle.request.headers, response: { status, headers, body }, write });
      },
    });
  };
  const freshHandle = (from: HttpCacheHandle, found: FoundObject | null): number =>
    table.add({ ...from, state: HttpCacheState.found | HttpCacheState.usable, found, servable: true, token: null });
  return {
    ...httpCacheReaders(ctx),
    is_request_cacheable: (req: number, out: number) => {
      const found = table.of(req, 'request');
      if (!found) return Status.badf;
      memory.u32(out, CACHEABLE_METHODS.has(found.method) ? 1 : 0);
      return Status.ok;
    },
    transaction_lookup: (req: number, mask: number, options: number, out: number) => {
      const found = table.of(req, 'request');
      if (!found) return Status.badf;
      const headers = found.headers.pairs();
      const key = mask & HTTP_CACHE_LOOKUP_OVERRIDE_KEY ? overrideKey(ctx, options) : `${found.uri}\n${found.headers.first('host') ?? ''}`;
      // A fresh hit on an object this worker was answered with, unchanged since, needs no round trip (kept-http-hits.ts).
      const local = ctx.httpHits?.answer(key, headers) ?? null;
      const answer = local ?? channel.call({ op: 'http-cache-lookup', key, headers });
      if (!local) ctx.httpHits?.keep(key, headers, answer);
      const request = { method: found.method, uri: found.uri, headers };
      // Named fields, no spread: an object spread is a slow path the first time in each instance.
      const { state, servable, token } = answer;
      memory.u32(out, table.add({ kind: 'http-cache', key, request, state, found: answer.found, servable, token }));
      return Status.ok;
    },
    get_suggested_backend_request: (h: number, out: number) => {
      const handle = entry(h);
      if (!handle) return Status.badf;
      const { method, uri, headers } = handle.request;
      memory.u32(out, table.add({ kind: 'request', method, uri, headers: new HeaderList(headers.map(([n, v]) => [n, v])), pass: false }));
      return Status.ok;
    },
    prepare_response_for_storage: (h: number, resp: number, actionOut: number, respOut: number) => {
      const head = response(resp);
      if (!entry(h) || !head) return Status.badf;
      memory.u8(actionOut, suggestedAction(head, Date.now()));
      memory.u32(respOut, resp);
      return Status.ok;
    },
    get_suggested_cache_options: (h: number, resp: number, _mask: number, input: number, maskOut: number, out: number) => {
      const head = response(resp);
      if (!entry(h) || !head) return Status.badf;
      return writeSuggested(memory, suggestedOptions(head, Date.now()), input, maskOut, out);
    },
    transaction_insert: (h: number, resp: number, mask: number, options: number, bodyOut: number) => {
      const handle = entry(h);
      if (!handle) return Status.badf;
      const body = insertBody(handle, resp, mask, options);
      if (body === Status.badf) return body;
      memory.u32(bodyOut, body);
      return Status.ok;
    },
    transaction_insert_and_stream_back: (h: number, resp: number, mask: number, options: number, bodyOut: number, cacheOut: number) => {
      const handle = entry(h);
      if (!handle) return Status.badf;
      // The object becomes readable once its body is closed, which the runtime does before reading it back.
      const back = freshHandle(handle, null);
      const body = insertBody(handle, resp, mask, options, (found) => {
        const fresh = entry(back);
        if (fresh) fresh.found = found;
      });
      if (body === Status.badf) return body;
      memory.u32(bodyOut, body);
      memory.u32(cacheOut, back);
      return Status.ok;
    },
    transaction_update: (h: number, resp: number, mask: number, options: number) => update(ctx, entry(h), response(resp), readWriteOptions(memory, mask, options)),
    transaction_update_and_return_fresh: (h: number, resp: number, mask: number, options: number, out: number) => {
      const handle = entry(h);
      const head = response(resp);
      const write = readWriteOptions(memory, mask, options);
      const status = update(ctx, handle, head, write);
      if (status !== Status.ok || !handle || !head) return status;
      const body = handle.found?.body ?? new Uint8Array(0);
      memory.u32(out, freshHandle(handle, { status: head.status, headers: head.headers.pairs(), body, ...write, ageMs: write.initialAgeMs, hits: 0 }));
      return Status.ok;
    },
    transaction_choose_stale: (h: number) => {
      const handle = entry(h);
      if (!handle) return Status.badf;
      handle.servable = handle.found !== null;
      settle(handle);
      return Status.ok;
    },
    transaction_record_not_cacheable: (h: number, mask: number, options: number) => {
      const handle = entry(h);
      if (!handle) return Status.badf;
      if (handle.token !== null) {
        const { maxAgeMs } = readWriteOptions(memory, mask, options);
        channel.post({ op: 'http-cache-pass', token: handle.token, key: handle.key, requestHeaders: handle.request.headers, maxAgeMs });
        handle.token = null;
      }
      return Status.ok;
    },
    transaction_abandon: (h: number) => {
      const handle = entry(h);
      if (!handle) return Status.badf;
      settle(handle);
      return Status.ok;
    },
    close: (h: number) => {
      const handle = entry(h);
      if (!handle) return Status.badf;
      settle(handle);
      table.delete(h);
      return Status.ok;
    },
  };
}

function update(ctx: HostContext, handle: HttpCacheHandle | undefined, head: { status: number; headers: HeaderList } | undefined, write: HttpCacheWrite): number {
  if (!handle || !head) return Status.badf;
  if (handle.token !== null) {
    const message = { token: handle.token, key: handle.key, requestHeaders: handle.request.headers, head: { status: head.status, headers: head.headers.pairs() }, write };
    ctx.channel.post({ op: 'http-cache-update', ...message });
    handle.token = null;
  }
  return Status.ok;
}

/** The guest's override key: the SHA-256 of its `cacheKey` (32 bytes), as hex. */
function overrideKey(ctx: HostContext, options: number): string {
  const view = ctx.memory.view();
  const bytes = ctx.memory.bytes(view.getUint32(options, true), view.getUint32(options + 4, true));
  return `key:${Buffer.from(bytes).toString('hex')}`;
}
