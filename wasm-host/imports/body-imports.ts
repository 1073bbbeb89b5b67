/**
 * `fastly_http_body`: in-sandbox buffers, backend bodies read through the main thread (blocking until
 * bytes arrive), and the streaming downstream body whose writes go straight to the client. A buffer
 * may end in a remote tail (the client's request body): appending it to another body moves the tail
 * along unread, so the runtime's body copies for a pass-through cost nothing and the upload streams.
 */
import { Status } from '../abi.ts';
import { concat } from '../guest-state.ts';
import type { BufferBody, RemoteBody } from '../guest-state.ts';
import type { HostContext, HostModule } from './host-context.ts';

const READ_CHUNK = 64 * 1024;

export function bodyImports(ctx: HostContext): HostModule {
  const { memory, table, channel } = ctx;
  return {
    new: (out: number) => {
      memory.u32(out, table.add({ kind: 'buffer', chunks: [], onClose: null }));
      return Status.ok;
    },
    read: (h: number, buf: number, len: number, nread: number) => {
      const body = table.of(h, 'buffer', 'remote');
      if (!body) return Status.badf;
      const bytes = body.kind === 'buffer' ? readBuffer(ctx, body, len) : readRemote(ctx, body, len);
      if (bytes === null) return Status.error;
      memory.write(buf, bytes);
      memory.u32(nread, bytes.byteLength);
      return Status.ok;
    },
    write: (h: number, buf: number, len: number, end: number, nwritten: number) => {
      const body = table.of(h, 'buffer', 'stream');
      if (!body) return Status.badf;
      const bytes = memory.bytes(buf, len);
      if (body.kind === 'buffer' && !settleTail(ctx, body)) return Status.error;
      if (body.kind === 'stream') channel.post({ op: 'stream-write', bytes });
      else if (end === 1) body.chunks.unshift(bytes);
      else body.chunks.push(bytes);
      memory.u32(nwritten, len);
      return Status.ok;
    },
    append: (dst: number, src: number) => {
      const target = table.of(dst, 'buffer', 'stream');
      const source = table.of(src, 'buffer', 'remote');
      if (!target || !source) return Status.badf;
      table.delete(src);
      if (target.kind === 'buffer') {
        if (!settleTail(ctx, target)) return Status.error;
        if (source.kind === 'buffer') {
          target.chunks.push(...source.chunks);
          target.tail = source.tail ?? null;
        } else {
          target.tail = source;
        }
        return Status.ok;
      }
      const tail = source.kind === 'buffer' ? (source.tail ?? null) : source;
      if (source.kind === 'buffer') for (const chunk of source.chunks) channel.post({ op: 'stream-write', bytes: chunk });
      if (tail) pipeRemote(ctx, tail);
      return Status.ok;
    },
    close: (h: number) => release(ctx, h, true),
    abandon: (h: number) => release(ctx, h, false),
    known_length: (h: number, out: number) => {
      const body = table.of(h, 'buffer');
      if (!body || body.tail) return Status.none;
      memory.u64(out, body.chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
      return Status.ok;
    },
  };
}

function release(ctx: HostContext, h: number, complete: boolean): number {
  const body = ctx.table.of(h, 'buffer', 'remote', 'stream');
  if (!body) return Status.badf;
  ctx.table.delete(h);
  if (body.kind === 'stream') ctx.channel.post({ op: 'stream-end' });
  else if (body.kind === 'remote') discardRemote(ctx, body);
  else if (complete && body.onClose) {
    if (!settleTail(ctx, body)) return Status.error;
    body.onClose(concat(body.chunks));
  } else if (body.tail) discardRemote(ctx, body.tail);
  return Status.ok;
}

function discardRemote(ctx: HostContext, body: RemoteBody): void {
  if (!body.done) ctx.channel.post({ op: 'discard', id: body.id });
}

/** Sends what is left of a remote body to the streaming downstream response. */
export function pipeRemote(ctx: HostContext, body: RemoteBody): void {
  ctx.channel.post({ op: 'stream-pipe', id: body.id });
}

/** Reads a buffer's remote tail into its chunks, for the operations that need every byte here. */
export function settleTail(ctx: HostContext, body: BufferBody): boolean {
  if (!body.tail) return true;
  const bytes = readAll(ctx, body.tail);
  body.tail = null;
  if (bytes === null) return false;
  if (bytes.byteLength > 0) body.chunks.push(bytes);
  return true;
}

function readBuffer(ctx: HostContext, body: BufferBody, max: number): Uint8Array | null {
  if (body.chunks.length > 0 || !body.tail) return takeFront(body, max);
  const bytes = readRemote(ctx, body.tail, max);
  if (bytes !== null && bytes.byteLength === 0 && body.tail.done) body.tail = null;
  return bytes;
}

function takeFront(body: BufferBody, max: number): Uint8Array {
  const first = body.chunks[0];
  if (!first) return new Uint8Array(0);
  if (first.byteLength <= max) {
    body.chunks.shift();
    return first;
  }
  body.chunks[0] = first.subarray(max);
  return first.subarray(0, max);
}

/** Up to `max` bytes; blocks until some arrive. Empty means end of body; null a broken body. */
export function readRemote(ctx: HostContext, body: RemoteBody, max: number): Uint8Array | null {
  if (body.done) return new Uint8Array(0);
  const reply = ctx.channel.call({ op: 'read', id: body.id, max: Math.max(1, max) });
  if (reply.error !== null) {
    body.done = true;
    return null;
  }
  if (reply.done) body.done = true;
  return reply.bytes;
}

function readAll(ctx: HostContext, body: RemoteBody): Uint8Array | null {
  const chunks: Uint8Array[] = [];
  for (;;) {
    const bytes = readRemote(ctx, body, READ_CHUNK);
    if (bytes === null) return null;
    if (bytes.byteLength === 0 && body.done) return concat(chunks);
    chunks.push(bytes);
  }
}
