/**
 * Compute's limit on a request's URL, applied by both local servers (the Node host and the Wasm
 * host). Fastly documents 8 KB for a URL (8,192 bytes), and js-compute's runtime reads at most that
 * much of it through `http_req.uri_get`: past it the runtime fails the request itself ("init_request:
 * Buffer length error") before any of our code runs, which the Wasm host used to answer with a 500.
 * The edge refuses such a request before the service sees it, so the local servers answer 414 at
 * once instead: neither serves a URL the platform would not hand to the service.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const MAX_URL_BYTES = 8192;

const BODY = JSON.stringify({ error: `uri too long: at most ${MAX_URL_BYTES} bytes` });

/** Whether `url`, the absolute URL the service would be handed, is past the limit (its UTF-8 bytes, as the host writes them). */
export function urlTooLong(url: string): boolean {
  return Buffer.byteLength(url, 'utf8') > MAX_URL_BYTES;
}

/** 414, closing the connection: a request body it may carry is not read. */
export function answerUrlTooLong(incoming: IncomingMessage, outgoing: ServerResponse): void {
  incoming.resume();
  outgoing.writeHead(414, { 'content-type': 'application/json', 'cache-control': 'no-store', connection: 'close' }).end(BODY);
}
