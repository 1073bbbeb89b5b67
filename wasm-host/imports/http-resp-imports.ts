/**
 * `fastly_http_resp` and `fastly_http_downstream`: response handles, sending the downstream response
 * (whole, passed through from a backend, or streaming), and the client's address and request id.
 */
import { isIP } from 'node:net';
import { HTTP_1_1, Status } from '../abi.ts';
import { HeaderList } from '../guest-headers.ts';
import { utf8 } from '../guest-memory.ts';
import { concat } from '../guest-state.ts';
import { pipeRemote } from './body-imports.ts';
import { headerCalls } from './header-calls.ts';
import type { HostContext, HostModule } from './host-context.ts';

export function httpRespImports(ctx: HostContext): HostModule {
  const { memory, table } = ctx;
  const response = (h: number) => table.of(h, 'response');
  return {
    ...headerCalls(ctx, (h) => response(h)?.headers),
    new: (out: number) => {
      memory.u32(out, table.add({ kind: 'response', status: 200, headers: new HeaderList(), cache: null }));
      return Status.ok;
    },
    status_get: (h: number, out: number) => {
      const resp = response(h);
      if (!resp) return Status.badf;
      memory.u16(out, resp.status);
      return Status.ok;
    },
    status_set: (h: number, status: number) => {
      const resp = response(h);
      if (!resp) return Status.badf;
      if (status < 100 || status > 999) return Status.httpinvalidstatus;
      resp.status = status;
      return Status.ok;
    },
    version_get: (h: number, out: number) => {
      if (!response(h)) return Status.badf;
      memory.u32(out, HTTP_1_1);
      return Status.ok;
    },
    version_set: () => Status.ok,
    framing_headers_mode_set: () => Status.ok,
    send_downstream: (h: number, bodyHandle: number, streaming: number) => sendDownstream(ctx, h, bodyHandle, streaming !== 0),
  };
}

function sendDownstream(ctx: HostContext, h: number, bodyHandle: number, streaming: boolean): number {
  const { table, channel } = ctx;
  const resp = table.of(h, 'response');
  const body = table.of(bodyHandle, 'buffer', 'remote');
  if (!resp || !body) return Status.badf;
  if (ctx.responded) return Status.httpuser;
  ctx.responded = true;
  // Posted at once: postMessage copies the pairs, so no copy of our own first.
  const headers = resp.headers.view();
  // A buffer ending in the client's unread body goes out as a stream: its bytes, then the rest piped.
  const finished = !streaming && !(body.kind === 'buffer' && body.tail);
  if (finished) {
    const payload = body.kind === 'buffer' ? { kind: 'bytes' as const, bytes: concat(body.chunks) } : { kind: 'remote' as const, id: body.id };
    channel.post({ op: 'respond', status: resp.status, headers, body: payload });
    table.delete(bodyHandle);
    return Status.ok;
  }
  channel.post({ op: 'respond', status: resp.status, headers, body: { kind: 'stream' } });
  if (body.kind === 'buffer') {
    for (const chunk of body.chunks) channel.post({ op: 'stream-write', bytes: chunk });
    if (body.tail) pipeRemote(ctx, body.tail);
  } else {
    pipeRemote(ctx, body);
  }
  table.delete(bodyHandle);
  if (streaming) table.set(bodyHandle, { kind: 'stream' });
  else channel.post({ op: 'stream-end' });
  return Status.ok;
}

export function downstreamImports(ctx: HostContext): HostModule {
  const { memory } = ctx;
  const address = (text: string, octets: number, nwritten: number): number => {
    const bytes = lastOctets(text);
    memory.write(octets, bytes);
    memory.u32(nwritten, bytes.byteLength);
    return Status.ok;
  };
  return {
    downstream_client_ip_addr: (_h: number, octets: number, nwritten: number) => address(ctx.job.clientIp, octets, nwritten),
    downstream_server_ip_addr: (_h: number, octets: number, nwritten: number) => address(ctx.job.serverIp, octets, nwritten),
    downstream_client_request_id: (_h: number, buf: number, len: number, nwritten: number) => {
      const bytes = utf8(ctx.job.requestId);
      memory.u32(nwritten, bytes.byteLength);
      if (bytes.byteLength > len) return Status.buflen;
      memory.write(buf, bytes);
      return Status.ok;
    },
  };
}

/**
 * `ipOctets` of the last address asked for on this worker: a worker's requests mostly come from
 * one client, and the parse (a RegExp and `isIP`) is most of this hostcall's cost. The bytes are
 * only copied into the guest, never changed.
 */
let last: { text: string; octets: Uint8Array } | null = null;
function lastOctets(text: string): Uint8Array {
  if (last?.text !== text) last = { text, octets: ipOctets(text) };
  return last.octets;
}

/** 4 octets for IPv4 (also IPv4-mapped IPv6, as Node reports dual-stack sockets), 16 for IPv6. */
export function ipOctets(text: string): Uint8Array {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
  const address = mapped?.[1] ?? text;
  if (isIP(address) === 4) return new Uint8Array(address.split('.').map(Number));
  if (isIP(address) !== 6) return new Uint8Array(0);
  const [head = '', tail = ''] = address.split('::');
  const groups = (part: string): number[] => (part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16)));
  const left = groups(head);
  const right = address.includes('::') ? groups(tail) : [];
  const all = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  return new Uint8Array(all.flatMap((group) => [group >> 8, group & 255]));
}
