/**
 * Server-Sent Events to dashboards (WHATWG HTML §9.2): each client gets the current snapshot on
 * connect, then at most one `snapshot` event per interval while events keep arriving, so a burst
 * of thousands of lines costs a handful of pushes. A comment line every 15 s keeps proxies open.
 */
import type { ServerResponse } from 'node:http';

export interface SseHub {
  add(response: ServerResponse): void;
  /** Marks the data as changed; a push follows within the interval. */
  changed(): void;
  close(): void;
}

export function createSseHub(snapshot: () => unknown, intervalMs = 250): SseHub {
  const clients = new Set<ServerResponse>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const keepAlive = setInterval(() => {
    for (const client of clients) client.write(': keep-alive\n\n');
  }, 15_000);
  keepAlive.unref();

  const push = (): void => {
    timer = null;
    const data = `event: snapshot\ndata: ${JSON.stringify(snapshot())}\n\n`;
    for (const client of clients) client.write(data);
  };

  return {
    add(response) {
      response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
      response.write(`retry: 1000\nevent: snapshot\ndata: ${JSON.stringify(snapshot())}\n\n`);
      clients.add(response);
      response.on('close', () => clients.delete(response));
    },
    changed() {
      if (timer === null && clients.size > 0) timer = setTimeout(push, intervalMs);
    },
    close() {
      if (timer !== null) clearTimeout(timer);
      clearInterval(keepAlive);
      for (const client of clients) client.end();
      clients.clear();
    },
  };
}
