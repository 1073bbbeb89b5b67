/**
 * Sends one request to a manifest backend with `node:http`/`node:https`, the way Fastly does: the
 * backend's scheme/host/port and path prefix, Host from `override_host`, no redirect following, no
 * body decompression, first-byte and between-bytes timeouts, and a streamed response body.
 * (Global fetch is not used because undici decodes Content-Encoding and Fastly does not.)
 */
import { request as httpRequest } from 'node:http';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline, Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { BackendConfig } from './manifest-backends.ts';
import { HOP_BY_HOP } from '../core/http/hop-by-hop.ts';


/** Fastly rejects a timed-out backend fetch with a NetworkError DOMException (js-compute-runtime #1209). */
function networkError(message: string): DOMException {
  return new DOMException(message, 'NetworkError');
}

/** The URL the backend receives: its path prefix joined to the request path, plus the query (Viceroy upstream.rs). */
export function backendTarget(backend: BackendConfig, requestUrl: URL): URL {
  const target = new URL(backend.url.origin);
  const prefix = backend.url.pathname.replace(/\/+$/, '');
  target.pathname = `${prefix}${requestUrl.pathname}`;
  target.search = requestUrl.search;
  return target;
}

export async function sendToBackend(backend: BackendConfig, request: Request): Promise<Response> {
  const requestUrl = new URL(request.url);
  const headers: string[] = [];
  request.headers.forEach((value, name) => {
    if (!HOP_BY_HOP.has(name) && name !== 'host') headers.push(name, value);
  });
  const { outgoing, response } = openBackendRequest(backend, requestUrl, request.method, headers);
  if (request.body === null) outgoing.end();
  else pipeline(Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>), outgoing, () => undefined);
  const incoming = await response;
  try {
    return toWebResponse(incoming, backend);
  } catch (error) {
    incoming.destroy();
    throw networkError(`backend "${backend.name}": unusable response (${error instanceof Error ? error.message : 'unknown'})`);
  }
}

/**
 * Opens a request to `backend` for `requestUrl` with `headers` (flat name/value pairs as in
 * `rawHeaders`, without Host, which is set here). The caller writes the body. `response` settles on
 * the answer's head, or rejects with a NetworkError when the first byte does not come in time or the
 * connection fails.
 */
export function openBackendRequest(backend: BackendConfig, requestUrl: URL, method: string, headers: string[]): { outgoing: ClientRequest; response: Promise<IncomingMessage> } {
  const options = {
    method,
    headers: [...headers, 'host', backend.overrideHost ?? requestUrl.host],
    ...(backend.url.protocol === 'https:' && backend.useSni ? { servername: backend.certHost ?? backend.url.hostname } : {}),
  };
  const send = backend.url.protocol === 'https:' ? httpsRequest : httpRequest;
  const outgoing = send(backendTarget(backend, requestUrl), options);
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    const firstByte = setTimeout(() => {
      outgoing.destroy(networkError(`backend "${backend.name}": first byte timeout after ${backend.firstByteTimeoutMs} ms`));
    }, backend.firstByteTimeoutMs);
    outgoing.on('error', (error) => {
      clearTimeout(firstByte);
      reject(error instanceof DOMException ? error : networkError(`backend "${backend.name}": ${error.message}`));
    });
    outgoing.on('response', (incoming) => {
      clearTimeout(firstByte);
      resolve(incoming);
    });
  });
  return { outgoing, response };
}

/** Statuses whose Response must have a null body (Fetch standard "null body status"). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

function toWebResponse(incoming: IncomingMessage, backend: BackendConfig): Response {
  const headers = new Headers();
  const raw = incoming.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] ?? '';
    if (!HOP_BY_HOP.has(name.toLowerCase())) headers.append(name, raw[i + 1] ?? '');
  }
  const status = incoming.statusCode ?? 502;
  const init = { status, statusText: incoming.statusMessage ?? '', headers };
  if (NULL_BODY_STATUSES.has(status)) {
    incoming.resume();
    return new Response(null, init);
  }
  return new Response(guardedBody(incoming, backend), init);
}

/** The body as a web stream that errors (and stops reading) when no bytes arrive for `between_bytes_timeout_ms`. */
function guardedBody(incoming: IncomingMessage, backend: BackendConfig): ReadableStream<Uint8Array> {
  guardBetweenBytes(incoming, backend);
  return Readable.toWeb(incoming) as ReadableStream<Uint8Array>;
}

/** Destroys the body with a NetworkError when no bytes arrive for `between_bytes_timeout_ms`. */
export function guardBetweenBytes(incoming: IncomingMessage, backend: BackendConfig): void {
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      incoming.destroy(networkError(`backend "${backend.name}": between bytes timeout after ${backend.betweenBytesTimeoutMs} ms`));
    }, backend.betweenBytesTimeoutMs);
  };
  arm();
  incoming.on('data', arm);
  incoming.on('close', () => clearTimeout(timer));
}
