/**
 * V8's legacy RegExp statics (`RegExp.input`, `lastMatch`, `leftContext`…) keep the subject of the
 * last successful match anywhere in the process. The Node host serves every visitor from one process:
 * once a request and its `waitUntil` work are done, none of them may still hold that request's text
 * (regexp-statics.ts). Without the reset a 404 page left its decision token there (the client's path
 * in it) and a beacon the visitor's logged pseudonym. Requests go out over a raw socket, so the
 * client itself runs no RegExp in this process.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startOrigin, type RunningOrigin } from '../../origin/start-origin.ts';
import { withOrigins } from '../../src/local-platform/with-origins.ts';
import { loadManifest } from '../../src/local-platform/manifest.ts';
import { consentingVisitorCookie } from '../../src/local-platform/signed-visitor.ts';
import { startEdge, type RunningEdge } from '../../src/node-host/edge-server.ts';

const SECRET = 's3cr3t-reset-token-Qm9vYmFy';

let origin: RunningOrigin;
let edge: RunningEdge;
let cookie: string;

beforeAll(async () => {
  origin = await startOrigin({ templatesPort: 0, profilesPort: 0, fragmentsPort: 0, quiet: true });
  const manifestPath = withOrigins({ urls: origin.urls, relaxedTimeouts: true, label: 'regexp-statics' });
  edge = await startEdge({ manifestPath, host: '127.0.0.1', port: 0, captureLogs: true });
  cookie = await consentingVisitorCookie(loadManifest(manifestPath), 'statics-visitor');
});

afterAll(async () => {
  await edge?.close();
  await origin?.close();
});

/** One exchange over a raw socket (`Connection: close`); the reply's status line. */
function exchange(method: string, path: string, headers: Record<string, string>, body = ''): Promise<string> {
  const { hostname, port } = new URL(edge.url);
  const head = Object.entries({ host: 'www.example.com', ...headers, ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}), connection: 'close' })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(`${method} ${path} HTTP/1.1\r\n${head}\r\n${body}`));
    let reply = '';
    socket.on('data', (chunk: Buffer) => (reply += chunk.toString('latin1')));
    socket.on('end', () => resolve(reply.slice(0, reply.indexOf('\r\n'))));
    socket.on('error', reject);
  });
}

/** Every legacy static V8 keeps of the last match, after the request and its background work. */
async function staticsAfter(request: () => Promise<string>): Promise<{ status: string; statics: string[] }> {
  const status = await request();
  await edge.settled();
  const legacy = RegExp as unknown as Record<string, unknown>;
  const names = ['input', '$_', 'lastMatch', 'lastParen', 'leftContext', 'rightContext', '$1', '$2', '$3', '$4', '$5', '$6', '$7', '$8', '$9'];
  return { status, statics: names.map((name) => String(legacy[name])) };
}

it('holds none of a page request\'s text once it is answered: the path a 404 page signs into its decision token', async () => {
  const { status, statics } = await staticsAfter(() => exchange('GET', `/nothing/${SECRET}?code=${SECRET}`, { cookie: `${cookie}; other=${SECRET}` }));
  expect(status).toBe('HTTP/1.1 404 Not Found');
  expect(statics.filter((text) => text.includes(SECRET) || text.includes('"s":'))).toEqual([]);
});

it('holds none of a beacon\'s text once it and its profile write are done: not the visitor\'s pseudonym', async () => {
  const before = edge.logs.length;
  const body = JSON.stringify({ type: 'click', slot: 'recs', item: 'sku-1017', page: `/product/shoes/sku-1017?q=${SECRET}` });
  const { status, statics } = await staticsAfter(() => exchange('POST', '/__beacon', { cookie, 'content-type': 'application/json' }, body));
  expect(status).toBe('HTTP/1.1 204 No Content');
  const line = edge.logs.slice(before).find((entry) => entry.startsWith('clickstream :: '));
  const pseudonym = (JSON.parse(line!.slice('clickstream :: '.length)) as { visitor: string | null }).visitor;
  expect(pseudonym).toMatch(/^[\w-]{22}$/);
  expect(statics.filter((text) => text.includes(pseudonym!) || text.includes(SECRET))).toEqual([]);
});

it('holds none of a demo page\'s decision once it is answered', async () => {
  const { status, statics } = await staticsAfter(() => exchange('GET', `/category/running?utm_campaign=${SECRET}`, { cookie }));
  expect(status).toBe('HTTP/1.1 200 OK');
  expect(statics.filter((text) => text.includes(SECRET) || text.includes('"s":'))).toEqual([]);
});
