/**
 * A tiny real `node:http` origin for Node-host tests: listens on 127.0.0.1 port 0, records every
 * request it receives, and answers with whatever the test's handler writes.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

export interface TestOrigin {
  url: string;
  port: number;
  seen: SeenRequest[];
  /** Requests received for one path. */
  hits(path: string): number;
  close(): Promise<void>;
}

export type OriginHandler = (request: IncomingMessage, response: ServerResponse, count: number) => void;

export async function startTestOrigin(handler: OriginHandler): Promise<TestOrigin> {
  const seen: SeenRequest[] = [];
  const server = createServer((request, response) => {
    seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
    const count = seen.filter((s) => s.url === request.url).length;
    handler(request, response, count);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    seen,
    hits: (path) => seen.filter((s) => s.url === path).length,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A fake millisecond clock the caches read, advanced by tests instead of sleeping. */
export function fakeClock(start = 1_000_000): { now: () => number; advance(ms: number): void } {
  let at = start;
  return { now: () => at, advance: (ms) => (at += ms) };
}
