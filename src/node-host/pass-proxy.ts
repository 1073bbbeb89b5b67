/**
 * The Node host's byte mover for a pass: the core decides that a request passes (`isPassRequest`)
 * and which headers a pass drops (`passDroppedHeaders`); this pipes the client's IncomingMessage
 * straight into the `templates` backend request and the origin's answer straight back, with
 * `pipeline` backpressure both ways. Going through a web `Request` and `Response` instead copies
 * every chunk through web streams twice and costs a 5 MiB upload ~20 ms; this path costs about what
 * a bare Node proxy does. Nothing is cached or logged, the profile store is never asked.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { isTimeout } from '../core/backend/backend-call.ts';
import { passDroppedHeaders, passFailure } from '../core/pass/pass-through.ts';
import { guardBetweenBytes, openBackendRequest } from '../local-platform/backend-client.ts';
import type { BackendConfig } from '../local-platform/manifest-backends.ts';
import { writeWebResponse } from '../local-platform/write-response.ts';

/** Forwards `incoming` (already decided to pass) to `backend`; settles when the exchange is over. */
export async function proxyPass(incoming: IncomingMessage, outgoing: ServerResponse, backend: BackendConfig, url: URL): Promise<void> {
  const method = incoming.method ?? 'GET';
  const upstream = openBackendRequest(backend, url, method, requestHeaders(incoming));
  // A client that leaves (mid-upload or while waiting) takes the backend request down with it, so
  // no origin socket is left behind.
  outgoing.once('close', () => {
    if (!outgoing.writableFinished) upstream.outgoing.destroy();
  });
  // `pipe`, not `pipeline`: a failed origin must not destroy the client's socket before its 502.
  incoming.pipe(upstream.outgoing);
  let answer: IncomingMessage;
  try {
    answer = await upstream.response;
  } catch (error) {
    incoming.unpipe(upstream.outgoing);
    incoming.resume();
    if (outgoing.destroyed) return;
    return writeWebResponse(passFailure(isTimeout(error)), outgoing, method === 'HEAD');
  }
  guardBetweenBytes(answer, backend);
  try {
    outgoing.writeHead(answer.statusCode ?? 502, answer.statusMessage ?? '', keptHeaders(answer.rawHeaders, headerText(answer.headers.connection), 'response'));
  } catch {
    answer.destroy();
    return writeWebResponse(passFailure(false), outgoing, method === 'HEAD');
  }
  // An origin that fails mid-body ends the client's response short (its framing shows it).
  await new Promise<void>((resolve) => pipeline(answer, outgoing, () => resolve()));
}

/** The client's headers as the origin gets them; a chunked upload stays chunked on the way on. */
function requestHeaders(incoming: IncomingMessage): string[] {
  const headers = keptHeaders(incoming.rawHeaders, incoming.headers.connection ?? null, 'request');
  const chunked = incoming.headers['transfer-encoding'] !== undefined && incoming.headers['content-length'] === undefined;
  return chunked ? [...headers, 'transfer-encoding', 'chunked'] : headers;
}

/** `rawHeaders` minus what a pass drops, as flat name/value pairs (repeats kept, e.g. Set-Cookie); Host is set per backend. */
function keptHeaders(raw: readonly string[], connection: string | null, direction: 'request' | 'response'): string[] {
  const dropped = passDroppedHeaders(connection, direction);
  if (direction === 'request') dropped.add('host');
  const kept: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] ?? '';
    if (!dropped.has(name.toLowerCase())) kept.push(name, raw[i + 1] ?? '');
  }
  return kept;
}

function headerText(value: string | string[] | undefined): string | null {
  return Array.isArray(value) ? value.join(',') : (value ?? null);
}
