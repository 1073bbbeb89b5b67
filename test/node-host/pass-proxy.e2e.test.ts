/**
 * The Node host's direct byte path for a pass: what can go wrong on either side of the pipe (a
 * client that leaves mid-upload, an origin that resets) ends that exchange only, and the framing
 * and repeated headers survive the trip.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { get } from '../security/support/http-client.ts';
import { startMockStack, type MockStack } from '../security/support/mock-stack.ts';

let stack: MockStack | null = null;
let origin: Server | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
  origin?.closeAllConnections();
  await new Promise<void>((resolve) => (origin ? origin.close(() => resolve()) : resolve()));
  origin = null;
});

/** A raw origin behind the edge's `templates` backend. */
async function startBehindEdge(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ stack: MockStack; origin: Server }> {
  origin = createServer(handle);
  await new Promise<void>((resolve) => origin?.listen(0, '127.0.0.1', resolve));
  stack = await startMockStack({ backends: { templates: { url: `http://127.0.0.1:${(origin.address() as AddressInfo).port}/` } } });
  return { stack, origin };
}

function openConnections(server: Server): Promise<number> {
  return new Promise((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
}

async function eventually(check: () => Promise<boolean>, deadlineMs: number): Promise<boolean> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

it('closes the origin connection when the client leaves mid-upload', async () => {
  let originSawStart = (): void => undefined;
  const started = new Promise<void>((resolve) => (originSawStart = resolve));
  const { stack, origin } = await startBehindEdge((req) => req.once('data', () => originSawStart()));
  const upload = httpRequest(stack.url('/upload'), { method: 'POST', headers: { 'content-type': 'application/octet-stream' } });
  upload.on('error', () => undefined);
  upload.write(Buffer.alloc(256 * 1024, 0x61));
  await started;
  expect(await openConnections(origin)).toBe(1);
  upload.destroy();
  expect(await eventually(async () => (await openConnections(origin)) === 0, 10_000)).toBe(true);
}, 30_000);

it('answers 502 when the origin resets the connection, and keeps serving', async () => {
  let calls = 0;
  const { stack } = await startBehindEdge((req, res) => {
    calls += 1;
    if (calls === 1) return void req.socket.destroy();
    res.writeHead(201, { 'content-type': 'text/plain' }).end('ok');
  });
  const failed = await get(stack.url('/form'), { 'content-type': 'text/plain' }, 'POST', 'a=1');
  expect(failed.status).toBe(502);
  expect(failed.headers['cache-control']).toBe('private, no-store');
  const next = await get(stack.url('/form'), { 'content-type': 'text/plain' }, 'POST', 'a=2');
  expect(next).toMatchObject({ status: 201, body: 'ok' });
});

it('returns every Set-Cookie line of the origin separately', async () => {
  const { stack } = await startBehindEdge((_req, res) => {
    res.setHeader('set-cookie', ['a=1; Path=/', 'b=2; Path=/; HttpOnly']);
    res.end('done');
  });
  const response = await get(stack.url('/login'), {}, 'POST', 'user=x');
  expect(response.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/; HttpOnly']);
});

it('forwards a chunked body on a method Node does not chunk by default', async () => {
  const { stack } = await startBehindEdge((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => res.end(`${req.method} ${Buffer.concat(chunks).toString()}`));
  });
  const response = await get(stack.url('/api/item'), { 'transfer-encoding': 'chunked' }, 'DELETE', 'reason=gone');
  expect(response.body).toBe('DELETE reason=gone');
});

it('drops the origin headers a pass never forwards: hop-by-hop, those Connection names, and edge-only ones', async () => {
  const { stack } = await startBehindEdge((_req, res) => {
    res.writeHead(200, { connection: 'x-origin-hop', 'x-origin-hop': '1', 'surrogate-key': 'k', 'x-kept': 'yes' }).end('done');
  });
  const response = await get(stack.url('/form'), {}, 'POST', 'x');
  expect(response.headers['x-origin-hop']).toBeUndefined();
  expect(response.headers['surrogate-key']).toBeUndefined();
  expect(response.headers['x-kept']).toBe('yes');
});
