/** Answers HTTP/0.9-style requests on the local servers (the Node host and the Wasm host). */
import type { Socket } from 'node:net';

const BAD_REQUEST_CLOSE = 'HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 46\r\nconnection: close\r\n\r\n{"error":"request line needs an HTTP version"}';

/**
 * An HTTP/0.9 request (`GET /` and a line break, no version) is complete as far as its client is
 * concerned, but Node's parser waits for headers that never come, so the client hangs. A first
 * line without an `HTTP/` version is answered at once with 400 and the connection closed (RFC 9112
 * §3: the request line carries the version; HTTP/0.9 is not served).
 */
export function answerVersionlessRequests(socket: Socket): void {
  socket.once('data', (chunk: Buffer) => {
    const end = chunk.indexOf(0x0a);
    if (end < 0) return;
    const line = chunk.subarray(0, end).toString('latin1');
    if (/ HTTP\/\d/.test(line)) return;
    socket.end(BAD_REQUEST_CLOSE);
    socket.destroySoon();
  });
}
