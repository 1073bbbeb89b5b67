/**
 * The client's request as the Wasm host hands it to a guest worker (rpc-messages.ts `GuestJob`):
 * its method, absolute URL, every header, body id, addresses and a request id.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { GuestJob } from './rpc-messages.ts';

/** The absolute URL the guest is handed for the request. */
export function guestUrl(incoming: IncomingMessage, listening: string): string {
  const target = incoming.url ?? '/';
  return /^https?:\/\//i.test(target) ? target : `http://${incoming.headers.host ?? listening}${target}`;
}

/**
 * The client's request as the guest sees it: every header it sent, `Connection` and the other
 * hop-by-hop ones included, as Viceroy hands them over (hyper's HTTP/1 server keeps each header it
 * parsed). The guest then knows what `Connection` names and drops those on a pass, as the Node host does.
 */
export function guestJob(incoming: IncomingMessage, bodyId: number | null, listening: string): GuestJob {
  const headers: [string, string][] = [];
  const raw = incoming.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.push([(raw[i] ?? '').toLowerCase(), raw[i + 1] ?? '']);
  return {
    method: incoming.method ?? 'GET',
    url: guestUrl(incoming, listening),
    headers,
    bodyId,
    clientIp: incoming.socket.remoteAddress ?? '',
    serverIp: incoming.socket.localAddress ?? '',
    requestId: randomUUID().replaceAll('-', ''),
  };
}
