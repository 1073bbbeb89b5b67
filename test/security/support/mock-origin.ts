/**
 * A recording mock origin for adversarial end-to-end tests: a `node:http` server on a free
 * loopback port that logs every request it receives (method, path, headers, body) and answers
 * through a handler the test can swap, so origins can reflect, stall, stream or misbehave.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface MockRequest {
  method: string;
  /** Path and query exactly as received. */
  path: string;
  url: URL;
  /** Lowercased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
}

export type MockHandler = (request: MockRequest, res: ServerResponse) => void | Promise<void>;

export interface MockOrigin {
  url: string;
  requests: MockRequest[];
  handle: MockHandler;
  /** Requests whose path starts with `prefix`. */
  count(prefix?: string): number;
  close(): Promise<void>;
}

export async function startMockOrigin(handle: MockHandler): Promise<MockOrigin> {
  const sockets = new Set<Socket>();
  const origin: MockOrigin = {
    url: '',
    requests: [],
    handle,
    count: (prefix = '/') => origin.requests.filter((r) => r.path.startsWith(prefix)).length,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    }),
  };
  const server = createServer((req, res) => {
    void receive(req).then(async (request) => {
      origin.requests.push(request);
      await origin.handle(request, res);
    }).catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return origin;
}

async function receive(req: IncomingMessage): Promise<MockRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = (req.rawHeaders[i] ?? '').toLowerCase();
    const value = req.rawHeaders[i + 1] ?? '';
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  const path = req.url ?? '/';
  return { method: req.method ?? 'GET', path, url: new URL(`http://origin.invalid${path}`), headers, body: Buffer.concat(chunks).toString('latin1') };
}

/** An ESI-enabled, cacheable template response. */
export const ESI_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'surrogate-control': 'content="ESI/1.0", max-age=60',
  'cache-control': 'public, max-age=60',
} as const;

export function send(res: ServerResponse, status: number, body: string | Uint8Array, headers: Record<string, string> = {}): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers, 'content-length': String(bytes.length) });
  res.end(bytes);
}

/** Everything the origin received, as text, for reflection into a body (the worst an origin can do). */
export function reflection(request: MockRequest): string {
  const lines = [`path=${request.path}`, `method=${request.method}`, `body=${request.body}`];
  for (const [name, value] of Object.entries(request.headers)) lines.push(`h:${name}=${value}`);
  return `<pre class="reflect">${lines.join('\n')}</pre>`;
}
