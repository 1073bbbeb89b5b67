/** Answers HTTP/0.9-style requests on the local servers (the Node host and the Wasm host). */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

const BAD_REQUEST_CLOSE = 'HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 46\r\nconnection: close\r\n\r\n{"error":"request line needs an HTTP version"}';

/**
 * An HTTP/0.9 request (`GET /` and a line break, no version) is complete as far as its client is
 * concerned, but Node's parser waits for headers that never come, so the client hangs. A first
 * line without an `HTTP/` version is answered at once with 400 and the connection closed (RFC 9112
 * §3: the request line carries the version; HTTP/0.9 is not served).
 *
 * The first chunk is read before the HTTP server sees the connection, then put back. Listening for
 * `data` once the HTTP server has the socket would take it off Node's native parser for the
 * connection's whole life, and every later body byte would cross into JavaScript and back: about
 * 5 ms of CPU per 5 MiB upload. Returns a function that destroys connections still being peeked
 * (for shutdown: the HTTP server does not know them yet).
 */
export function answerVersionlessRequests(server: Server): () => void {
  const peeking = new Set<Socket>();
  const emit = server.emit.bind(server) as (event: string | symbol, ...args: unknown[]) => boolean;
  server.emit = (event: string | symbol, ...args: unknown[]): boolean => {
    if (event !== 'connection') return emit(event, ...args);
    const socket = args[0] as Socket;
    peeking.add(socket);
    // Until the HTTP server has the socket, nothing else handles its errors (a reset would crash).
    const onError = (): void => void socket.destroy();
    socket.on('error', onError);
    socket.once('close', () => peeking.delete(socket));
    socket.once('data', (chunk: Buffer) => {
      peeking.delete(socket);
      socket.off('error', onError);
      if (isVersionless(chunk)) {
        socket.end(BAD_REQUEST_CLOSE);
        socket.destroySoon();
        return;
      }
      socket.pause();
      socket.unshift(chunk);
      emit('connection', socket);
      socket.resume();
    });
    return true;
  };
  return () => {
    for (const socket of peeking) socket.destroy();
  };
}

function isVersionless(chunk: Buffer): boolean {
  const end = chunk.indexOf(0x0a);
  if (end < 0) return false;
  return !/ HTTP\/\d/.test(chunk.subarray(0, end).toString('latin1'));
}
