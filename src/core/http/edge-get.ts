/**
 * The web `Request` for an edge-built GET (ports.ts `EdgeGet`), for code that needs one: the Node
 * host's readthrough cache and fetch, and test doubles. A `Request` is passed through as it is.
 */
import type { EdgeGet } from '../ports.ts';

export function asRequest(request: Request | EdgeGet): Request {
  return request instanceof Request ? request : new Request(request.url, { method: 'GET', headers: request.headers });
}
