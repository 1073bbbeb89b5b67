/**
 * Test HTTP clients with no opinions: `get` sends exactly the headers given (no fetch-spec
 * forbidden-header filtering, no decoding), `raw` writes bytes to a socket for requests no client
 * library will build (CR/LF in header values, bodies on GET), and `inBatches` bounds concurrency.
 */
import { Agent, request } from 'node:http';
import { connect } from 'node:net';

export interface PlainResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

export function get(url: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<PlainResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method, headers, agent }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks).toString('latin1') }));
      incoming.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** Sends `text` as the whole request on a new connection and returns everything the server wrote. */
export function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
  });
}

/** The status code of a raw HTTP/1.1 response text. */
export function rawStatus(response: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);
}

/** Runs `work` over `items` with at most `size` in flight. */
export async function inBatches<T, R>(items: readonly T[], size: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return results;
}

/** A response read counting its bytes and keeping only the last 64 (a page that must not be held whole). */
export function counted(url: string): Promise<{ status: number; bytes: number; tail: string }> {
  return new Promise((resolve, reject) => {
    request(url, { agent }, (incoming) => {
      let bytes = 0;
      let tail = '';
      incoming.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        tail = (tail + chunk.toString('latin1')).slice(-64);
      });
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, bytes, tail }));
      incoming.on('error', reject);
    }).on('error', reject).end();
  });
}
