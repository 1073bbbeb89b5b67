/**
 * One backend as a real `node:http` server: logs each request, answers `/__origin/*` control
 * requests, and otherwise sends the route handler's response through the backend's fault.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BackendName } from '../backend-name.ts';
import type { FaultController } from '../faults/fault-controller.ts';
import { sendWhole, sendWithFault } from '../faults/send-with-fault.ts';
import { headersFromRaw, type RequestLog } from '../request-log.ts';
import { handleControl } from './control-endpoint.ts';
import { jsonResponse, MAX_ORIGIN_BODY_BYTES, respond, type RouteHandler } from './origin-response.ts';
import type { CandidateStore } from '../recs/candidate-store.ts';

export interface BackendOptions {
  backend: BackendName;
  handler: RouteHandler;
  /** Bodies past this are refused with 413 before the route runs; default MAX_ORIGIN_BODY_BYTES. */
  maxBodyBytes?: number;
  faults: FaultController;
  requests: RequestLog;
  /** The fragments backend's published recommendation lists (its `/__origin/recs` control route). */
  candidates?: CandidateStore;
  host: string;
  port: number;
  /** Reports unexpected errors (bugs); the client gets a plain 500. */
  onError: (message: string) => void;
}

export interface BackendServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The request target as a URL: origin-form (`/p?q`) or absolute-form; anything else is null. */
function targetUrl(target: string): URL | null {
  try {
    if (target.startsWith('/')) return new URL(`http://origin.invalid${target}`);
    if (target.startsWith('http://') || target.startsWith('https://')) return new URL(target);
  } catch {
    return null;
  }
  return null;
}

async function handle(req: IncomingMessage, res: ServerResponse, options: BackendOptions, shutdown: AbortSignal): Promise<void> {
  const path = req.url ?? '';
  const url = targetUrl(path);
  if (!url) return sendWhole(res, respond(400, 'text/plain; charset=utf-8', 'bad request target\n'));
  const { backend, faults, requests, handler, candidates } = options;
  if (url.pathname.startsWith('/__origin/')) return handleControl(req, res, url.pathname, { backend, faults, requests, candidates });
  const method = req.method ?? 'GET';
  requests.record({ backend, method, path, pathname: url.pathname, headers: headersFromRaw(req.rawHeaders), receivedAt: Date.now() });
  const maxBytes = options.maxBodyBytes ?? MAX_ORIGIN_BODY_BYTES;
  const body = await readBody(req, maxBytes);
  if (body === null) return sendWhole(res, jsonResponse(413, { error: `body over ${maxBytes} bytes` }, { 'cache-control': 'no-store' }));
  const response = await handler({ method, path, pathname: url.pathname, query: url.searchParams, headers: req.headers, body });
  const gone = new AbortController();
  res.on('close', () => gone.abort());
  await sendWithFault(res, response, faults.match(backend, url.pathname), AbortSignal.any([shutdown, gone.signal]));
}

/** The whole body, or null when it is over the cap (the rest is drained so the socket can be reused). */
async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const bytes = chunk as Buffer;
    size += bytes.length;
    if (size <= maxBytes) chunks.push(bytes);
  }
  return size > maxBytes ? null : Buffer.concat(chunks);
}

export async function serveBackend(options: BackendOptions): Promise<BackendServer> {
  const shutdown = new AbortController();
  const server = createServer((req, res) => {
    handle(req, res, options, shutdown.signal).catch((error: unknown) => {
      options.onError(`origin ${options.backend}: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) sendWhole(res, respond(500, 'text/plain; charset=utf-8', 'origin error\n'));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const hostPart = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${hostPart}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        shutdown.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
