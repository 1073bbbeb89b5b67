import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import type { BackendFetchOptions, BackendName } from '../../src/core/ports.ts';
import { parseManifest } from '../../src/local-platform/manifest.ts';
import { createNodeDeps } from '../../src/node-host/node-deps.ts';
import type { NodeDeps } from '../../src/node-host/node-deps.ts';
import { fakeClock, startTestOrigin } from '../node-host/test-origin.ts';
import type { TestOrigin } from '../node-host/test-origin.ts';

const GZIPPED = gzipSync(Buffer.from('<p>compressed</p>'));
const BIG_CHUNK = 'x'.repeat(32 * 1024);

let origin: TestOrigin;
let clock: ReturnType<typeof fakeClock>;
let deps: NodeDeps;

beforeAll(async () => {
  origin = await startTestOrigin((request, response, count) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname.replace(/^\/prefix/, '');
    const send = (headers: Record<string, string | string[]>, body: string | Buffer, status = 200): void => {
      response.writeHead(status, headers);
      response.end(body);
    };
    if (path === '/sc60') return send({ 'surrogate-control': 'max-age=60', 'content-type': 'text/html' }, `sc60 #${count}`);
    if (path === '/private') return send({ 'cache-control': 'private, max-age=60' }, 'private');
    if (path === '/cookie') return send({ 'cache-control': 'max-age=60', 'set-cookie': ['a=1', 'b=2'] }, 'cookie');
    if (path === '/no-cache-header') return send({}, 'default ttl');
    if (path === '/status500') return send({ 'cache-control': 'max-age=60' }, 'err', 500);
    if (path === '/swr') return send({ 'cache-control': 'max-age=1, stale-while-revalidate=30' }, `v${count}`);
    if (path === '/swr-fail') return count === 1 ? send({ 'surrogate-control': 'max-age=1, stale-while-revalidate=30' }, 'good') : send({}, 'bad', 500);
    if (path === '/tagged') return send({ 'surrogate-key': 'tag-a tag-b', 'cache-control': 'max-age=60' }, 'tagged');
    if (path === '/gone') return send({ 'cache-control': 'max-age=3600' }, 'gone', 410);
    if (path === '/vary') return send({ vary: 'Accept-Language', 'cache-control': 'max-age=60' }, `lang ${request.headers['accept-language']}`);
    if (path.startsWith('/big/')) return send({ 'cache-control': 'max-age=60' }, 'b'.repeat(Number(path.slice(5, 9))));
    if (path === '/keyed') return send({ 'cache-control': 'max-age=60' }, `keyed ${request.url}`);
    if (path === '/slow-cold') {
      setTimeout(() => {
        response.writeHead(200, { 'surrogate-control': 'max-age=60' });
        response.write(BIG_CHUNK);
        setTimeout(() => response.end(BIG_CHUNK), 30);
      }, 80);
      return;
    }
    if (path === '/gzip') return send({ 'content-encoding': 'gzip', 'content-type': 'text/html' }, GZIPPED);
    if (path === '/redirect') return send({ location: '/elsewhere' }, '', 302);
    if (path === '/echo') return send({ 'cache-control': 'no-store' }, JSON.stringify({ url: request.url, host: request.headers.host }));
    if (path === '/hang') return;
    if (path === '/stall') {
      response.writeHead(200, { 'cache-control': 'no-store' });
      response.write('first bytes');
      return;
    }
    send({}, 'not found', 404);
  });
});
afterAll(() => origin.close());

beforeEach(() => {
  clock = fakeClock();
  deps = makeDeps({ cacheBytes: 64 * 1024 * 1024 });
});

function makeDeps(options: { cacheBytes: number; maxObjectBytes?: number }): NodeDeps {
  const manifest = parseManifest(
    `[local_server.backends.templates]
url = "${origin.url}"
override_host = "tmpl.example"
first_byte_timeout_ms = 300
[local_server.backends.fragments]
url = "${origin.url}prefix/"
override_host = "frag.example"
[local_server.backends.profiles]
url = "${origin.url}"
between_bytes_timeout_ms = 300`,
    { file: 'test.toml', dir: '.' },
  );
  return createNodeDeps(manifest, { ...options, clock: clock.now, sink: () => undefined });
}

let unique = 0;
/** A path with a query no other test uses, so each test starts cold. */
function fresh(path: string): string {
  unique += 1;
  return `${path}?t=${unique}`;
}

async function get(path: string, options: BackendFetchOptions = {}, backend: BackendName = 'templates', headers: HeadersInit = {}) {
  const result = await deps.fetchBackend(backend, new Request(`http://www.example.com${path}`, { headers }), options);
  return { status: result.response.status, cache: result.cache, headers: result.response.headers, body: await result.response.text() };
}

it('asks the origin once for a Surrogate-Control max-age=60 response requested twice', async () => {
  const path = fresh('/sc60');
  const first = await get(path);
  const second = await get(path);
  expect(origin.hits(path)).toBe(1);
  expect([first.cache, second.cache]).toEqual(['MISS', 'HIT']);
  expect(second.body).toBe(first.body);
  expect(second.headers.get('surrogate-control')).toBe('max-age=60');
});

it.each([
  { name: 'Cache-Control: private', path: '/private' },
  { name: 'Set-Cookie', path: '/cookie' },
  { name: 'a 500 status', path: '/status500' },
])('asks the origin every time for a response with $name', async ({ path: base }) => {
  const path = fresh(base);
  await get(path);
  const second = await get(path);
  expect(origin.hits(path)).toBe(2);
  expect(second.cache).toBe('MISS');
});

it('keeps every Set-Cookie header of an uncached response', async () => {
  const { headers } = await get(fresh('/cookie'));
  expect(headers.getSetCookie()).toEqual(['a=1', 'b=2']);
});

it('caches for 3600 s by default and reports the age on hits', async () => {
  const path = fresh('/no-cache-header');
  await get(path);
  clock.advance(3_599_000);
  const hit = await get(path);
  expect(hit.cache).toBe('HIT');
  expect(hit.headers.get('age')).toBe('3599');
  // Past the TTL and the 30 s stale grace every template and fragment gets (storage-policy.ts).
  clock.advance(32_000);
  expect((await get(path)).cache).toBe('MISS');
  expect(origin.hits(path)).toBe(2);
});

it('serves an expired object as STALE inside the 30 s stale grace while one request refreshes it', async () => {
  const path = fresh('/no-cache-header');
  await get(path);
  clock.advance(3_601_000);
  expect((await get(path)).cache).toBe('STALE');
  await deps.idle();
  expect(origin.hits(path)).toBe(2);
  expect((await get(path)).cache).toBe('HIT');
});

it('collapses 50 concurrent misses on a cold key into one origin request with the full body for all', async () => {
  const path = fresh('/slow-cold');
  const results = await Promise.all(Array.from({ length: 50 }, () => get(path)));
  expect(origin.hits(path)).toBe(1);
  for (const result of results) expect(result.body).toBe(BIG_CHUNK + BIG_CHUNK);
  expect(results.filter((r) => r.cache === 'MISS')).toHaveLength(1);
});

it('sends every collapsed waiter to the origin when the response is not storable', async () => {
  const path = fresh('/private');
  await Promise.all(Array.from({ length: 5 }, () => get(path)));
  expect(origin.hits(path)).toBe(5);
});

it('serves stale inside stale-while-revalidate and refreshes once in the background', async () => {
  const path = fresh('/swr');
  expect((await get(path)).body).toBe('v1');
  clock.advance(1_500);
  const [a, b] = await Promise.all([get(path), get(path)]);
  expect([a.cache, a.body, b.cache, b.body]).toEqual(['STALE', 'v1', 'STALE', 'v1']);
  await deps.idle();
  expect(origin.hits(path)).toBe(2);
  const refreshed = await get(path);
  expect([refreshed.cache, refreshed.body]).toEqual(['HIT', 'v2']);
});

it('keeps the good copy when revalidation fails', async () => {
  const path = fresh('/swr-fail');
  await get(path);
  clock.advance(1_500);
  await get(path);
  await deps.idle();
  const after = await get(path);
  expect(origin.hits(path)).toBe(2);
  expect([after.cache, after.body, after.status]).toEqual(['STALE', 'good', 200]);
});

it('evicts the least recently used object to stay under the byte cap', async () => {
  deps = makeDeps({ cacheBytes: 10_000 });
  const [a, b, c] = [fresh('/big/4000'), fresh('/big/4000'), fresh('/big/4000')];
  await get(a);
  await get(b);
  await get(a);
  await get(c);
  expect(deps.readthrough.bytes).toBeLessThanOrEqual(10_000);
  expect((await get(a)).cache).toBe('HIT');
  expect((await get(b)).cache).toBe('MISS');
});

it('never stores a body over the per-object cap', async () => {
  deps = makeDeps({ cacheBytes: 100_000, maxObjectBytes: 1_000 });
  const path = fresh('/big/2000');
  const first = await get(path);
  const second = await get(path);
  expect(first.body).toHaveLength(2000);
  expect(second.cache).toBe('MISS');
  expect(origin.hits(path)).toBe(2);
});

it('merges different URLs under one custom cache key and separates one URL under two keys', async () => {
  const key = `key-${fresh('')}`;
  const merged = [await get('/keyed?a=1', { cacheKey: key }), await get('/keyed?a=2', { cacheKey: key })];
  expect(merged.map((r) => r.body)).toEqual(['keyed /keyed?a=1', 'keyed /keyed?a=1']);
  const path = fresh('/keyed');
  await get(path, { cacheKey: `${key}-x` });
  await get(path, { cacheKey: `${key}-y` });
  expect(origin.hits(path)).toBe(2);
});

it('always goes to the origin and stores nothing with pass', async () => {
  const path = fresh('/sc60');
  const results = [await get(path, { pass: true }), await get(path, { pass: true }), await get(path)];
  expect(results.map((r) => r.cache)).toEqual(['PASS', 'PASS', 'MISS']);
  expect(origin.hits(path)).toBe(3);
});

it('keeps variants apart when the origin varies on a request header', async () => {
  const path = fresh('/vary');
  const en = await get(path, {}, 'templates', { 'accept-language': 'en' });
  const de = await get(path, {}, 'templates', { 'accept-language': 'de' });
  const enAgain = await get(path, {}, 'templates', { 'accept-language': 'en' });
  expect([en.body, de.body, enAgain.body]).toEqual(['lang en', 'lang de', 'lang en']);
  expect(enAgain.cache).toBe('HIT');
  expect(origin.hits(path)).toBe(2);
});

it('drops objects tagged with a purged surrogate key', async () => {
  const path = fresh('/tagged');
  await get(path);
  expect((await get(path)).cache).toBe('HIT');
  await deps.purge('tag-b');
  expect((await get(path)).cache).toBe('MISS');
  expect(origin.hits(path)).toBe(2);
});

it.each([
  { backend: 'templates' as const, keys: 'tag-a tag-b edge-templates' },
  { backend: 'fragments' as const, keys: 'tag-a tag-b edge-fragments' },
])('stores a $backend response under its own surrogate keys plus its tier key, on the miss and the hit', async ({ backend, keys }) => {
  const path = fresh('/tagged');
  const miss = await get(path, {}, backend);
  const hit = await get(path, {}, backend);
  expect([miss.headers.get('surrogate-key'), hit.headers.get('surrogate-key'), hit.cache]).toEqual([keys, keys, 'HIT']);
});

it('drops every template with a purge of the templates tier key', async () => {
  const path = fresh('/sc60');
  await get(path);
  await deps.purge('edge-templates');
  expect((await get(path)).cache).toBe('MISS');
});

it('keeps a 410 for a minute however long the origin allows', async () => {
  const path = fresh('/gone');
  await get(path);
  clock.advance(59_000);
  expect((await get(path)).cache).toBe('HIT');
  clock.advance(2_000);
  expect((await get(path)).cache).not.toBe('HIT');
});

it('serves a soft-purged object stale at once and refreshes it in the background', async () => {
  const path = fresh('/sc60');
  expect((await get(path)).body).toBe(`sc60 #1`);
  await deps.purge('edge-templates', true);
  const stale = await get(path);
  expect([stale.cache, stale.body]).toEqual(['STALE', 'sc60 #1']);
  await deps.idle();
  const refreshed = await get(path);
  expect([refreshed.cache, refreshed.body]).toEqual(['HIT', 'sc60 #2']);
});

it('rejects naming the timeout when the first byte does not arrive in time', async () => {
  const started = performance.now();
  await expect(get(fresh('/hang'))).rejects.toThrow(/first byte timeout after 300 ms/);
  expect(performance.now() - started).toBeLessThan(5_000);
});

it('errors the body naming the timeout when bytes stop arriving', async () => {
  const { response } = await deps.fetchBackend('profiles', new Request(`http://www.example.com${fresh('/stall')}`), { pass: true });
  await expect(response.text()).rejects.toThrow(/between bytes timeout after 300 ms/);
});

it('rejects a backend the manifest does not define, naming it', async () => {
  const bare = createNodeDeps(parseManifest('', { file: 'empty.toml', dir: '.' }), { sink: () => undefined });
  await expect(bare.fetchBackend('profiles', new Request('http://www.example.com/x'))).rejects.toThrow('backend "profiles" is not defined in empty.toml');
});

it('prepends the backend path prefix and sends override_host as Host', async () => {
  const echoed = JSON.parse((await get('/echo?q=1', {}, 'fragments')).body) as { url: string; host: string };
  expect(echoed).toEqual({ url: '/prefix/echo?q=1', host: 'frag.example' });
  const plain = JSON.parse((await get('/echo?q=2', {}, 'profiles')).body) as { url: string; host: string };
  expect(plain).toEqual({ url: '/echo?q=2', host: 'www.example.com' });
});

it('returns compressed bodies as the origin sent them', async () => {
  const { response } = await deps.fetchBackend('templates', new Request('http://www.example.com/gzip'), { pass: true });
  expect(response.headers.get('content-encoding')).toBe('gzip');
  expect(Buffer.from(await response.arrayBuffer())).toEqual(GZIPPED);
});

it('does not follow redirects', async () => {
  const result = await get(fresh('/redirect'), { pass: true });
  expect(result.status).toBe(302);
  expect(result.headers.get('location')).toBe('/elsewhere');
  expect(origin.hits('/elsewhere')).toBe(0);
});
