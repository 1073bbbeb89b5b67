/**
 * The Node host's HTTP server: runs the same core handler as the Wasm build with Node ports, from a
 * `fastly.toml`. It adds one local-only route, `POST /__local/purge?key=<surrogate-key>[&soft=1]`, which
 * purges both caches (on Fastly the purge API does this) and is never passed to the core (local-purge.ts).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createHandler } from '../core/handler.ts';
import type { Deps } from '../core/ports.ts';
import { stdoutSink } from '../local-platform/log-line.ts';
import { answerVersionlessRequests } from './versionless-request.ts';
import type { LineSink } from '../local-platform/log-line.ts';
import { loadManifest } from '../local-platform/manifest.ts';
import { createNodeDeps } from './node-deps.ts';
import { tuneV8ForPages } from './v8-heap.ts';
import { backgroundWork } from './background-work.ts';
import { edgeRequests, type EdgeSite } from './edge-request.ts';

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

export async function startEdge(options: EdgeOptions): Promise<RunningEdge> {
  tuneV8ForPages();
  const manifest = loadManifest(options.manifestPath);
  const logs: string[] = [];
  const deps = createNodeDeps(manifest, { sink: logSink(options, logs), cacheBytes: options.cacheBytes, clock: options.clock });
  const background = backgroundWork(() => deps.idle());
  const site: EdgeSite = { deps, handler: createHandler(deps), waitUntil: background.waitUntil, passBackend: manifest.backends.get('templates'), host: options.host };
  const server = createServer({ requireHostHeader: false }, edgeRequests(site));
  const closePeeking = answerVersionlessRequests(server);
  server.on('clientError', answerClientError);
  await listen(server, options.host, options.port);
  site.host = listeningHost(server.address() as AddressInfo);
  return {
    url: `http://${site.host}/`,
    deps,
    logs,
    purge: (key, soft) => deps.purge(key, soft),
    close: () => closeServer(server, background.settled, closePeeking),
    settled: background.settled,
  };
}

/** Log endpoint lines go to `options.stdout` (stdout unless only capturing), and into `logs` when capturing. */
function logSink(options: EdgeOptions, logs: string[]): LineSink {
  const print = options.stdout ?? (options.captureLogs ? undefined : stdoutSink);
  return (line) => {
    if (options.captureLogs) logs.push(line);
    print?.(line);
  };
}

/** A request Node could not parse: a 400 while the socket can still take it. */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || error.code === 'ECONNRESET') return void socket.destroy();
  const body = JSON.stringify({ error: 'bad request' });
  socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`);
}

function listeningHost(address: AddressInfo): string {
  return address.family === 'IPv6' ? `[${address.address}]:${address.port}` : `${address.address}:${address.port}`;
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

async function closeServer(server: ReturnType<typeof createServer>, settled: () => Promise<void>, closePeeking: () => void): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await settled();
  server.closeAllConnections();
  closePeeking();
  await closed;
}
