/**
 * The web `Request` for an edge-built GET or POST (ports.ts `EdgeGet`), for code that needs one: the Node
 * host's readthrough cache and fetch, and test doubles. A `Request` is passed through as it is.
 */
import type { EdgeGet } from '../ports.ts';

export function asRequest(request: Request | EdgeGet): Request {
  if (request instanceof Request) return request;
  const { url, headers, body } = request;
  return new Request(url, body === undefined ? { method: 'GET', headers } : { method: 'POST', headers, body });
}
