/**
 * A tiny HTTP backend for contract and fidelity cases that the demo origin cannot express: each
 * path answers a fixed response, or never answers (`hang`); every request is counted.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FixtureResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Accept the request and never answer (until the server closes). */
  hang?: boolean;
}

export interface FixtureServer {
  /** Base URL with a trailing slash. */
  url: string;
  /** Paths (with query) requested so far, in order. */
  requests: string[];
  close(): Promise<void>;
}

export const ESI_TEMPLATE_HEADERS = { 'content-type': 'text/html; charset=utf-8', 'surrogate-control': 'content="ESI/1.0"' };

export async function startFixtureServer(routes: Record<string, FixtureResponse>): Promise<FixtureServer> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push(path);
    const route = routes[path.split('?')[0] ?? '/'];
    if (route?.hang) return;
    if (!route) return void response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    response.writeHead(route.status ?? 200, route.headers ?? {}).end(route.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
