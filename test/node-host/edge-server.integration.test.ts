import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEdge } from '../../src/node-host/edge-server.ts';
import type { RunningEdge } from '../../src/node-host/edge-server.ts';
import { startTestOrigin } from './test-origin.ts';
import type { TestOrigin } from './test-origin.ts';

let origin: TestOrigin;
let edge: RunningEdge;

beforeAll(async () => {
  origin = await startTestOrigin((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html', 'surrogate-key': 'page-tag', 'cache-control': 'max-age=60' });
    response.end(`origin page ${request.url}`);
  });
  const dir = mkdtempSync(join(tmpdir(), 'edge-server-'));
  const manifestPath = join(dir, 'fastly.toml');
  writeFileSync(manifestPath, `[local_server.backends.templates]\nurl = "${origin.url}"\n[local_server.backends.fragments]\nurl = "${origin.url}"\n`);
  edge = await startEdge({ manifestPath, host: '127.0.0.1', port: 0, captureLogs: true });
});
afterAll(async () => {
  await edge.close();
  await origin.close();
});

/** One raw HTTP/1.1 exchange, for requests fetch() refuses to send. */
function raw(text: string): Promise<string> {
  const { hostname, port } = new URL(edge.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(text));
    let reply = '';
    socket.on('data', (chunk) => (reply += chunk.toString('latin1')));
    socket.on('end', () => resolve(reply));
    socket.on('error', reject);
  });
}

it('answers /__health from the core with the node runtime', async () => {
  const response = await fetch(`${edge.url}__health`);
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ runtime: 'node', pop: 'local' });
});

it('serves a page from the manifest backend and logs one decision event line', async () => {
  const before = edge.logs.length;
  const response = await fetch(`${edge.url}some/page`);
  expect(await response.text()).toContain('origin page /some/page');
  const lines = edge.logs.slice(before).filter((line) => line.startsWith('personalization_events :: '));
  expect(lines).toHaveLength(1);
  expect(JSON.parse(lines[0]!.slice('personalization_events :: '.length))).toMatchObject({ v: 2, path: '/some/page' });
});

it('purges a surrogate key from the readthrough cache through POST /__local/purge', async () => {
  const request = () => new Request('http://www.example.com/purge-me');
  await (await edge.deps.fetchBackend('templates', request())).response.text();
  expect((await edge.deps.fetchBackend('templates', request())).cache).toBe('HIT');
  const purge = await fetch(`${edge.url}__local/purge?key=page-tag`, { method: 'POST' });
  expect([purge.status, await purge.json()]).toEqual([200, { purged: 'page-tag', soft: false }]);
  expect((await edge.deps.fetchBackend('templates', request())).cache).toBe('MISS');
});

it.each([
  { name: 'a GET', init: { method: 'GET' }, path: '__local/purge?key=x', status: 405 },
  { name: 'a missing key', init: { method: 'POST' }, path: '__local/purge', status: 400 },
])('refuses a local purge with $name', async ({ init, path, status }) => {
  expect((await fetch(`${edge.url}${path}`, init)).status).toBe(status);
});

it.each([
  { name: 'an invalid Host header', request: 'GET / HTTP/1.1\r\nHost: exa mple.com\r\nConnection: close\r\n\r\n' },
  { name: 'oversized headers', request: `GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(40_000)}\r\nConnection: close\r\n\r\n` },
  { name: 'a malformed request line', request: 'GARBAGE\r\n\r\n' },
  { name: 'an asterisk target', request: 'GET * HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n' },
])('answers 400 to $name and keeps serving', async ({ request }) => {
  expect(await raw(request)).toMatch(/^HTTP\/1\.1 400 /);
  expect((await fetch(`${edge.url}__health`)).status).toBe(200);
});

it('sends headers but no body for HEAD', async () => {
  const reply = await raw('HEAD /head-page HTTP/1.1\r\nHost: www.example.com\r\nConnection: close\r\n\r\n');
  expect(reply).toMatch(/^HTTP\/1\.1 200 /);
  expect(reply.endsWith('\r\n\r\n')).toBe(true);
});
