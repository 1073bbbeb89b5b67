/**
 * The client's request body as a web stream the host session reads on the guest's demand, with
 * backpressure: the socket is paused while the stream's queue is full. Cancelling (the guest ended
 * without reading it all) drops the rest without destroying the socket, so the response still goes
 * out on the same connection.
 */
import type { IncomingMessage } from 'node:http';

const HIGH_WATER_BYTES = 256 * 1024;

/** True when the request carries a body (RFC 9112 §6.3: a Content-Length above 0 or a Transfer-Encoding). */
export function hasRequestBody(incoming: IncomingMessage): boolean {
  const length = incoming.headers['content-length'];
  return incoming.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

export function requestBodyStream(incoming: IncomingMessage): ReadableStream<Uint8Array> {
  let settled = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        incoming.pause();
        incoming.on('data', (chunk: Buffer) => {
          if (settled) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) incoming.pause();
        });
        incoming.once('end', () => {
          if (!settled) controller.close();
          settled = true;
        });
        // A client that goes away mid-upload: the error reaches whoever reads (the backend upload fails).
        incoming.once('close', () => {
          if (!settled && !incoming.complete) controller.error(new Error('the client closed the request body early'));
          settled = true;
        });
        incoming.once('error', (error) => {
          if (!settled) controller.error(error);
          settled = true;
        });
      },
      pull() {
        incoming.resume();
      },
      cancel() {
        settled = true;
        incoming.resume();
      },
    },
    { highWaterMark: HIGH_WATER_BYTES, size: (chunk) => chunk.byteLength },
  );
}
