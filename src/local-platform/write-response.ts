/**
 * Streams a web `Response` back through a `node:http` ServerResponse: status, every header (each
 * Set-Cookie on its own line), body chunks as they arrive with backpressure, no body for HEAD.
 * A client that goes away cancels the body; a body that errors ends the socket, never the process.
 */
import type { ServerResponse } from 'node:http';
import { HOP_BY_HOP } from '../core/http/hop-by-hop.ts';

export async function writeWebResponse(response: Response, outgoing: ServerResponse, isHead: boolean): Promise<void> {
  setHead(response, outgoing, isHead);
  const body = response.body;
  if (outgoing.destroyed) {
    // The client left while the core was still working.
    await body?.cancel().catch(() => undefined);
    return;
  }
  if (isHead || body === null) {
    await body?.cancel();
    outgoing.end();
    return;
  }
  const reader = body.getReader();
  let clientGone = false;
  const onClose = (): void => {
    if (outgoing.writableFinished) return;
    clientGone = true;
    reader.cancel().catch(() => undefined);
  };
  outgoing.on('close', onClose);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || clientGone) break;
      if (!outgoing.write(value)) await drained(outgoing);
    }
    if (!clientGone) outgoing.end();
  } catch (error) {
    if (!clientGone) {
      console.error(`[node] response body failed mid-stream: ${error instanceof Error ? error.message : 'unknown error'}`);
      outgoing.destroy();
    }
  } finally {
    outgoing.off('close', onClose);
  }
}

function drained(outgoing: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    if (outgoing.destroyed) return resolve();
    const done = (): void => {
      outgoing.off('drain', done);
      outgoing.off('close', done);
      resolve();
    };
    outgoing.on('drain', done);
    outgoing.on('close', done);
  });
}

/** The response's status and headers, set on `outgoing` (sent with its first body write or end). */
export function setHead(response: Response, outgoing: ServerResponse, isHead: boolean): void {
  outgoing.statusCode = response.status;
  if (response.statusText !== '') outgoing.statusMessage = response.statusText;
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    // Framing is re-done here (like Fastly for guest bodies); only HEAD keeps the origin's length.
    if (HOP_BY_HOP.has(name) || (name === 'content-length' && !isHead) || name === 'set-cookie') return;
    headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  for (const [name, value] of Object.entries(headers)) outgoing.setHeader(name, value);
}
