/**
 * Turns a `node:http` IncomingMessage into the web `Request` the core handles, streaming the body.
 * The URL is `http://<Host header or listening address><path>`: the Host header is client-controlled,
 * so the core must only ever key on its normalized form and never trust it for anything security relevant.
 */
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { HOP_BY_HOP } from '../core/http/hop-by-hop.ts';

export class BadRequest extends Error {
  override readonly name = 'BadRequest';
}

export function toWebRequest(incoming: IncomingMessage, fallbackHost: string): Request {
  const url = requestUrl(incoming, fallbackHost);
  const headers = new Headers();
  const raw = incoming.rawHeaders;
  // Headers the client names in Connection belong to this hop too (RFC 9110 §7.6.1).
  const connection = incoming.headers.connection ?? '';
  const hop = new Set([...HOP_BY_HOP, ...connection.split(',').map((name) => name.trim().toLowerCase())]);
  try {
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = raw[i] ?? '';
      if (!hop.has(name.toLowerCase())) headers.append(name, raw[i + 1] ?? '');
    }
  } catch {
    throw new BadRequest('invalid header');
  }
  const method = incoming.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const init: RequestInit & { duplex?: 'half' } = { method, headers };
  if (hasBody) {
    init.body = Readable.toWeb(incoming) as ReadableStream<Uint8Array>;
    init.duplex = 'half';
  } else {
    incoming.resume();
  }
  try {
    return new Request(url, init);
  } catch {
    throw new BadRequest('invalid request');
  }
}

export function requestUrl(incoming: IncomingMessage, fallbackHost: string): URL {
  const target = incoming.url ?? '';
  if (target.startsWith('/')) {
    const host = incoming.headers.host ?? fallbackHost;
    if (!/^[A-Za-z0-9.\-:[\]]+$/.test(host)) throw new BadRequest('invalid Host header');
    try {
      const url = new URL(`http://${host}${target}`);
      if (url.pathname !== '' && url.host !== '') return url;
    } catch {
      // falls through to the error below
    }
    throw new BadRequest('invalid request target');
  }
  // Absolute-form targets are allowed (RFC 9112 §3.2.2); authority-form and `*` are not served.
  if (/^https?:\/\//i.test(target)) {
    try {
      return new URL(target);
    } catch {
      throw new BadRequest('invalid request target');
    }
  }
  throw new BadRequest('invalid request target');
}
