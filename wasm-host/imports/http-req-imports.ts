/**
 * `fastly_http_req`: request handles (method, URI, headers, cache override), the downstream request,
 * and sending to static backends. A send is posted to the main thread, which performs it (through
 * the readthrough cache unless passed, or sent with `send_async_v2`, the send without host caching
 * that a guest running the HTTP cache API itself uses); `pending_req_wait_v2` blocks until the
 * response head.
 */
import { CacheOverrideTag, HTTP_1_1, SendErrorTag, Status } from '../abi.ts';
import { HeaderList } from '../guest-headers.ts';
import { utf8 } from '../guest-memory.ts';
import { concat } from '../guest-state.ts';
import { headerCalls } from './header-calls.ts';
import type { HostContext, HostModule } from './host-context.ts';

let nextPending = 1;

export function httpReqImports(ctx: HostContext): HostModule {
  const { memory, table } = ctx;
  const request = (h: number) => table.of(h, 'request');
  /** `cached` false is `send_async_v2`: the guest runs the HTTP cache itself, so the host must not cache. */
  const send = (h: number, bodyHandle: number, bp: number, bl: number, out: number, cached = true): number => {
    const req = request(h);
    const body = table.of(bodyHandle, 'buffer');
    if (!req) return Status.badf;
    const backend = memory.string(bp, bl);
    if (!ctx.config.backends.has(backend)) return Status.inval;
    const id = nextPending++;
    const cacheKey = req.headers.values('fastly-xqd-cache-key')[0] ?? null;
    ctx.channel.post({
      op: 'send',
      request: {
        pending: id,
        backend,
        method: req.method,
        url: req.uri,
        headers: req.headers.view().filter(([name]) => name !== 'fastly-xqd-cache-key'),
        body: body && body.chunks.length > 0 ? concat(body.chunks) : null,
        bodyTail: body?.tail ? { id: body.tail.id } : null,
        pass: req.pass || !cached,
        cacheKey,
      },
    });
    table.delete(bodyHandle);
    memory.u32(out, table.add({ kind: 'pending', id }));
    return Status.ok;
  };
  return {
    ...headerCalls(ctx, (h) => request(h)?.headers),
    new: (out: number) => {
      memory.u32(out, table.add({ kind: 'request', method: 'GET', uri: '', headers: new HeaderList(), pass: false }));
      return Status.ok;
    },
    body_downstream_get: (reqOut: number, bodyOut: number) => {
      const { job } = ctx;
      const req = table.add({ kind: 'request', method: job.method, uri: job.url, headers: new HeaderList(job.headers), pass: false });
      ctx.downstreamRequest = req;
      memory.u32(reqOut, req);
      // The client's body stays on the main thread until the guest reads it (or streams it on).
      const tail = job.bodyId === null ? null : { kind: 'remote' as const, id: job.bodyId, done: false };
      memory.u32(bodyOut, table.add({ kind: 'buffer', chunks: [], onClose: null, tail }));
      return Status.ok;
    },
    method_get: (h: number, buf: number, len: number, nwritten: number) => stringOut(ctx, request(h)?.method, buf, len, nwritten),
    method_set: (h: number, ptr: number, len: number) => {
      const req = request(h);
      if (!req) return Status.badf;
      req.method = memory.string(ptr, len);
      return Status.ok;
    },
    uri_get: (h: number, buf: number, len: number, nwritten: number) => stringOut(ctx, request(h)?.uri, buf, len, nwritten),
    uri_set: (h: number, ptr: number, len: number) => {
      const req = request(h);
      if (!req) return Status.badf;
      req.uri = memory.string(ptr, len);
      return Status.ok;
    },
    version_get: (h: number, out: number) => {
      if (!request(h)) return Status.badf;
      memory.u32(out, HTTP_1_1);
      return Status.ok;
    },
    version_set: () => Status.ok,
    framing_headers_mode_set: () => Status.ok,
    auto_decompress_response_set: () => Status.ok,
    cache_override_set: (h: number, tag: number) => setOverride(ctx, h, tag),
    cache_override_v2_set: (h: number, tag: number) => setOverride(ctx, h, tag),
    send_async: (h: number, b: number, bp: number, bl: number, out: number) => send(h, b, bp, bl, out),
    send_async_v2: (h: number, b: number, bp: number, bl: number, streaming: number, out: number) =>
      streaming === 0 ? send(h, b, bp, bl, out, false) : Status.unsupported,
    pending_req_wait_v2: (h: number, detail: number, respOut: number, bodyOut: number) => {
      const pending = table.of(h, 'pending');
      if (!pending) return Status.badf;
      table.delete(h);
      const reply = ctx.channel.call({ op: 'wait', pending: pending.id });
      if (!reply.ok) {
        memory.u8(detail, reply.tag);
        return Status.error;
      }
      memory.u8(detail, SendErrorTag.ok);
      memory.u32(respOut, table.add({ kind: 'response', status: reply.status, headers: new HeaderList(reply.headers), cache: reply.cache }));
      const body = reply.body === null ? { kind: 'buffer' as const, chunks: [], onClose: null } : { kind: 'remote' as const, id: reply.body, done: false };
      memory.u32(bodyOut, table.add(body));
      return Status.ok;
    },
  };
}

function setOverride(ctx: HostContext, h: number, tag: number): number {
  const req = ctx.table.of(h, 'request');
  if (!req) return Status.badf;
  req.pass = (tag & CacheOverrideTag.pass) !== 0;
  return Status.ok;
}

export function stringOut(ctx: HostContext, text: string | undefined, buf: number, len: number, nwritten: number): number {
  if (text === undefined) return Status.badf;
  const bytes = utf8(text);
  ctx.memory.u32(nwritten, bytes.byteLength);
  if (bytes.byteLength > len) return Status.buflen;
  ctx.memory.write(buf, bytes);
  return Status.ok;
}
