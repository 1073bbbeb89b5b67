/**
 * The Node and Wasm hosts' one local-only route, `POST /__local/purge?key=<surrogate-key>[&soft=1]`:
 * it purges both caches, as Fastly's purge API does, and is never passed to the core.
 */
import type { ServerResponse } from 'node:http';

export const PURGE_PATH = '/__local/purge';

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

/** A small JSON answer the host gives itself (never stored by a browser). */
export function plain(outgoing: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  outgoing.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  outgoing.end(JSON.stringify(body));
}
