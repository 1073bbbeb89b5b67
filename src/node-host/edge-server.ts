/**
 * The Node host's HTTP server: runs the same core handler as the Wasm build with Node ports, from a
 * `fastly.toml`. It adds one local-only route, `POST /__local/purge?key=<surrogate-key>[&soft=1]`, which
 * purges both caches (on Fastly the purge API does this) and is never passed to the core.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHandler, isPassRequest } from '../core/handler.ts';
import type { Deps } from '../core/ports.ts';
import { stdoutSink } from '../local-platform/log-line.ts';
import { answerVersionlessRequests } from './versionless-request.ts';
import { answerUrlTooLong, urlTooLong } from './url-limit.ts';
import type { LineSink } from '../local-platform/log-line.ts';
import { loadManifest } from '../local-platform/manifest.ts';
import { createNodeDeps } from './node-deps.ts';
import { proxyPass } from './pass-proxy.ts';
import type { NodeDeps } from './node-deps.ts';
import { BadRequest, requestUrl, toWebRequest } from './web-request.ts';
import { SocketPage } from './socket-page.ts';
import { tuneV8ForPages } from './v8-heap.ts';
import { forgetLastMatch } from './regexp-statics.ts';

export interface EdgeOptions {
  manifestPath: string;
  host: string;
  port: number;
  /** Receives log endpoint lines; stdout by default (nothing printed when only capturing). */
  stdout?: LineSink;
  /** Also keep every emitted line in `RunningEdge.logs` (tests). */
  captureLogs?: boolean;
  /** Byte cap of each cache; default 64 MiB. */
  cacheBytes?: number;
  /** Milliseconds clock for cache ages (tests); Date.now by default. */
  clock?: () => number;
}

export interface RunningEdge {
  url: string;
  close(): Promise<void>;
  deps: Deps;
  /** Lines emitted to log endpoints, when `captureLogs` is set. */
  logs: string[];
  purge(key: string, soft?: boolean): Promise<void>;
  /** Resolves once all waitUntil work and background revalidations have finished (tests). */
  settled(): Promise<void>;
}

export const PURGE_PATH = '/__local/purge';

export async function startEdge(options: EdgeOptions): Promise<RunningEdge> {
  tuneV8ForPages();
  const manifest = loadManifest(options.manifestPath);
  const logs: string[] = [];
  const print = options.stdout ?? (options.captureLogs ? undefined : stdoutSink);
  const sink: LineSink = (line) => {
    if (options.captureLogs) logs.push(line);
    print?.(line);
  };
  const deps = createNodeDeps(manifest, { sink, cacheBytes: options.cacheBytes, clock: options.clock });
  const handler = createHandler(deps);
  const pending = new Set<Promise<unknown>>();
  const waitUntil = (work: Promise<unknown>): void => {
    const tracked = work.catch((error: unknown) => {
      console.error(`[node] waitUntil task failed: ${error instanceof Error ? error.message : 'unknown error'}`);
    });
    pending.add(tracked);
    void tracked.finally(() => {
      pending.delete(tracked);
      forgetLastMatch();
    });
  };

  let listeningHost = options.host;
  const server = createServer({ requireHostHeader: false }, (incoming, outgoing) => {
    void serve(incoming, outgoing)
      .catch((error: unknown) => {
        console.error(`[node] request failed: ${error instanceof Error ? error.message : 'unknown error'}`);
        if (!outgoing.headersSent) plain(outgoing, 500, { error: 'internal error' });
        else outgoing.destroy();
      })
      // Whatever the request's text the last RegExp matched is not left to the next visitor.
      .finally(forgetLastMatch);
  });
  const closePeeking = answerVersionlessRequests(server);
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || error.code === 'ECONNRESET') return socket.destroy();
    const body = JSON.stringify({ error: 'bad request' });
    socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`);
  });

  const passBackend = manifest.backends.get('templates');
  const directPass = (method: string, url: URL): boolean => passBackend !== undefined && url.pathname !== PURGE_PATH && isPassRequest(method, url.href, deps);

  async function serve(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    let url: URL;
    let request: Request | null = null;
    try {
      url = requestUrl(incoming, listeningHost);
      if (urlTooLong(url.href)) return answerUrlTooLong(incoming, outgoing);
      // A pass skips the web Request entirely: its bytes go straight through (pass-proxy.ts).
      if (!directPass(incoming.method ?? 'GET', url)) request = toWebRequest(incoming, listeningHost);
    } catch (error) {
      if (error instanceof BadRequest) return plain(outgoing, 400, { error: error.message });
      throw error;
    }
    if (request === null) return passBackend ? proxyPass(incoming, outgoing, passBackend, url) : undefined;
    if (url.pathname === PURGE_PATH) return answerLocalPurge(request.method, url, outgoing, (key, soft) => deps.purge(key, soft));
    // An assembled page writes to the socket itself rather than through a web stream (socket-page.ts).
    const page = new SocketPage();
    const context = { clientAddress: incoming.socket.remoteAddress ?? '', requestId: randomUUID(), waitUntil, pageBody: page.open };
    const isHead = request.method === 'HEAD';
    let response: Response;
    try {
      response = await deps.runRequest(() => handler(request, context));
    } catch (error) {
      page.cancel('the request failed');
      throw error;
    }
    await page.send(response, outgoing, isHead);
  }

  await listen(server, options.host, options.port);
  const address = server.address() as AddressInfo;
  listeningHost = address.family === 'IPv6' ? `[${address.address}]:${address.port}` : `${address.address}:${address.port}`;
  return {
    url: `http://${listeningHost}/`,
    deps,
    logs,
    purge: (key, soft) => deps.purge(key, soft),
    close: () => closeServer(server, deps, pending, closePeeking),
    settled: () => settle(deps, pending),
  };
}

async function settle(deps: NodeDeps, pending: Set<Promise<unknown>>): Promise<void> {
  while (pending.size > 0) await Promise.allSettled([...pending]);
  await deps.idle();
}

/** `POST /__local/purge?key=K[&soft=1]`: what Fastly's purge API does, for a local host. */
export async function answerLocalPurge(
  method: string | undefined,
  url: URL,
  outgoing: ServerResponse,
  purge: (key: string, soft: boolean) => Promise<void>,
): Promise<void> {
  if (method !== 'POST') return plain(outgoing, 405, { error: 'method not allowed' }, { allow: 'POST' });
  const key = url.searchParams.get('key');
  if (!key) return plain(outgoing, 400, { error: 'missing key parameter' });
  const soft = url.searchParams.get('soft') === '1';
  await purge(key, soft);
  plain(outgoing, 200, { purged: key, soft });
}

function plain(outgoing: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  outgoing.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  outgoing.end(JSON.stringify(body));
}

function listen(server: ReturnType<typeof createServer>, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function closeServer(server: ReturnType<typeof createServer>, deps: NodeDeps, pending: Set<Promise<unknown>>, closePeeking: () => void): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await settle(deps, pending);
  server.closeAllConnections();
  closePeeking();
  await closed;
}
