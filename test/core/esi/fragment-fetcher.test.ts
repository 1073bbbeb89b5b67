/**
 * The fragment fetcher against a fake `fetchBackend`: edge-set headers only, the cache mode,
 * status, content type, size cap, compressed bodies, bombs, timeouts and TTL parsing.
 */
import { gzipSync } from 'node:zlib';
import { expect, it, vi } from 'vitest';
import type { BackendFetchOptions, BackendName, BackendResponse } from '../../../src/core/ports.ts';
import { createFragmentFetcher } from '../../../src/core/esi/fragment-fetcher.ts';
import { asRequest } from '../../../src/core/http/edge-get.ts';
import type { FragmentRequest, FragmentResult } from '../../../src/core/esi/fragment-fetcher.ts';
import { backendPort } from '../../../src/core/backend/backend-port.ts';

interface Seen {
  backend: BackendName;
  request: Request;
  options: BackendFetchOptions | undefined;
}

/** A fragment answer typed `text/html`, as a well-behaved fragment origin sends it. */
function html(body: BodyInit, headers: Record<string, string> = {}): Response {
  return new Response(body, { headers: { 'content-type': 'text/html; charset=utf-8', ...headers } });
}

function fetcherFor(respond: () => Response | Promise<Response>, cache: BackendResponse['cache'] = 'MISS', acceptedTypes?: readonly string[], pageStorable?: boolean) {
  const seen: Seen[] = [];
  const fetchFragment = createFragmentFetcher({
    fetchBackend: backendPort(async (backend, request, options) => {
      seen.push({ backend, request: asRequest(request), options });
      return { response: await respond(), cache };
    }),
    locale: 'en-GB',
    cacheKeyFor: (url) => `key:${url.pathname}`,
    ...(acceptedTypes ? { acceptedTypes } : {}),
    ...(pageStorable === undefined ? {} : { pageStorable }),
  });
  return { fetchFragment, seen };
}

/** A result's fields as read (a storable fragment's TTL and keys are getters, worked out when read: fragment-facts.ts). */
function asRead(result: FragmentResult): Record<string, unknown> {
  if (!result.ok) return result;
  return { ok: result.ok, body: result.body, cache: result.cache, ttlMs: result.ttlMs, surrogateKeys: result.surrogateKeys };
}

const REQUEST: FragmentRequest = { url: new URL('https://www.example.com/fragments/recs?s=vip'), backend: 'fragments', perVisitor: false, timeoutMs: 500 };

it('sends a bodiless GET with only the edge-set headers, through the cache under its key', async () => {
  const { fetchFragment, seen } = fetcherFor(() => html('R', { 'cache-control': 'max-age=60', 'surrogate-key': 'recs  vip' }));
  const result = await fetchFragment(REQUEST);
  // The keys the readthrough cache files it under: the origin's, then the fragment tier's.
  expect(asRead(result)).toEqual({ ok: true, body: new TextEncoder().encode('R'), cache: 'MISS', ttlMs: 60_000, surrogateKeys: ['recs', 'vip', 'edge-fragments'] });
  const { request, backend, options } = seen[0]!;
  expect(backend).toBe('fragments');
  expect(request.method).toBe('GET');
  expect(request.body).toBeNull();
  expect([...request.headers].sort()).toEqual([['accept', 'text/html'], ['accept-encoding', 'identity'], ['accept-language', 'en-GB']]);
  expect(options).toEqual({ cacheKey: 'key:/fragments/recs' });
});

it('reports the tier key once when the host already filed the object under it', async () => {
  const { fetchFragment } = fetcherFor(() => html('R', { 'cache-control': 'max-age=60', 'surrogate-key': 'recs edge-fragments' }), 'HIT');
  expect(await fetchFragment(REQUEST)).toMatchObject({ ok: true, surrogateKeys: ['recs', 'edge-fragments'] });
});

it('passes the cache for per-visitor fragments and reports no TTL', async () => {
  const { fetchFragment, seen } = fetcherFor(() => html('R', { 'cache-control': 'max-age=60' }), 'PASS');
  const result = await fetchFragment({ ...REQUEST, perVisitor: true });
  expect(seen[0]?.options).toEqual({ pass: true });
  expect(result).toMatchObject({ ok: true, cache: 'PASS', ttlMs: null });
});

it.each([
  { name: 'on a page that will not be stored', perVisitor: false, pageStorable: false },
  { name: 'for a per-visitor fragment', perVisitor: true, pageStorable: true },
])('works out no TTL or surrogate key $name, reading neither header', async ({ perVisitor, pageStorable }) => {
  const response = html('R', { 'cache-control': 'max-age=60', 'surrogate-key': 'recs vip', age: '5' });
  const get = vi.spyOn(response.headers, 'get');
  const { fetchFragment } = fetcherFor(() => response, perVisitor ? 'PASS' : 'MISS', undefined, pageStorable);
  expect(await fetchFragment({ ...REQUEST, perVisitor })).toEqual({ ok: true, body: new TextEncoder().encode('R'), cache: perVisitor ? 'PASS' : 'MISS', ttlMs: null, surrogateKeys: [] });
  const read = get.mock.calls.map(([name]) => name.toLowerCase());
  expect(read).toContain('content-type');
  for (const name of ['cache-control', 'surrogate-control', 'surrogate-key', 'age', 'set-cookie']) expect(read).not.toContain(name);
});

it("works out a storable fragment's TTL and keys only when read, once, and the same as read at once", async () => {
  const response = html('R', { 'cache-control': 'max-age=60', 'surrogate-key': 'recs vip' });
  const get = vi.spyOn(response.headers, 'get');
  const { fetchFragment } = fetcherFor(() => response, 'HIT');
  const result = await fetchFragment(REQUEST);
  const caching = () => get.mock.calls.map(([name]) => name.toLowerCase()).filter((name) => name !== 'content-type' && name !== 'content-length' && name !== 'content-encoding');
  expect(caching()).toEqual([]);
  expect(asRead(result)).toMatchObject({ ttlMs: 60_000, surrogateKeys: ['recs', 'vip', 'edge-fragments'] });
  const once = caching().length;
  expect(once).toBeGreaterThan(0);
  expect(asRead(result)).toMatchObject({ ttlMs: 60_000, surrogateKeys: ['recs', 'vip', 'edge-fragments'] });
  expect(caching()).toHaveLength(once);
});

it.each([
  { cache: 'HIT' as const, whole: true },
  { cache: 'MISS' as const, whole: false },
])('reads a $cache fragment of a declared length whole: $whole', async ({ cache, whole }) => {
  const response = html('<p>R</p>', { 'content-length': '8', 'cache-control': 'max-age=60' });
  const read = vi.spyOn(response, 'arrayBuffer');
  const { fetchFragment } = fetcherFor(() => response, cache);
  expect(asRead(await fetchFragment(REQUEST))).toEqual({ ok: true, body: new TextEncoder().encode('<p>R</p>'), cache, ttlMs: 60_000, surrogateKeys: ['edge-fragments'] });
  expect(read).toHaveBeenCalledTimes(whole ? 1 : 0);
});

it('streams a cached fragment declared longer than the cap (the cap stops that read)', async () => {
  const response = html('<p>R</p>', { 'content-length': String(256 * 1024 + 1) });
  const read = vi.spyOn(response, 'arrayBuffer');
  const { fetchFragment } = fetcherFor(() => response, 'HIT');
  await fetchFragment(REQUEST);
  expect(read).not.toHaveBeenCalled();
});

it.each<{ name: string; headers: Record<string, string>; ttl: number | null }>([
  { name: 'Surrogate-Control over Cache-Control', headers: { 'surrogate-control': 'max-age=10', 'cache-control': 's-maxage=20, max-age=30' }, ttl: 10_000 },
  { name: 's-maxage over max-age', headers: { 'cache-control': 's-maxage=20, max-age=30' }, ttl: 20_000 },
  { name: 'private', headers: { 'cache-control': 'private, max-age=30' }, ttl: null },
  { name: 'no-store', headers: { 'cache-control': 'no-store', 'surrogate-control': 'max-age=10' }, ttl: null },
  { name: 'Set-Cookie', headers: { 'cache-control': 'max-age=30', 'set-cookie': 'a=b' }, ttl: null },
  { name: 'no lifetime', headers: {}, ttl: null },
])('reads the TTL: $name', async ({ headers, ttl }) => {
  const { fetchFragment } = fetcherFor(() => html('R', headers));
  expect(await fetchFragment(REQUEST)).toMatchObject({ ok: true, ttlMs: ttl });
});

it('fails with status on anything but 200', async () => {
  const { fetchFragment } = fetcherFor(() => new Response('nope', { status: 404 }));
  expect(await fetchFragment(REQUEST)).toEqual({ ok: false, reason: 'status', cache: 'MISS' });
});

it.each<{ name: string; type: string | null; accepted?: string[]; ok: boolean }>([
  { name: 'text/html with a charset', type: 'text/html; charset=utf-8', ok: true },
  { name: 'TEXT/HTML in upper case', type: 'TEXT/HTML', ok: true },
  { name: 'text/plain', type: 'text/plain; charset=utf-8', ok: false },
  { name: 'application/json', type: 'application/json', ok: false },
  { name: 'application/octet-stream', type: 'application/octet-stream', ok: false },
  { name: 'text/html-ish lookalike', type: 'text/htmlx', ok: false },
  { name: 'no Content-Type at all', type: null, ok: false },
  { name: 'a configured extra type', type: 'application/xhtml+xml', accepted: ['text/html', 'application/xhtml+xml'], ok: true },
  { name: 'text/html when the configuration leaves it out', type: 'text/html', accepted: ['application/xhtml+xml'], ok: false },
])('takes a fragment by its media type: $name -> ok=$ok', async ({ type, accepted, ok }) => {
  const respond = (): Response => {
    const response = new Response(new TextEncoder().encode('<p>x</p>'));
    if (type !== null) response.headers.set('content-type', type);
    return response;
  };
  const { fetchFragment } = fetcherFor(respond, 'MISS', accepted);
  expect(await fetchFragment(REQUEST)).toEqual(ok ? expect.objectContaining({ ok: true }) : { ok: false, reason: 'content-type', cache: 'MISS' });
});

it.each([
  { type: 'application/json', ok: true },
  { type: 'text/html', ok: false },
])('takes a ranked include candidate document only as JSON: $type -> ok=$ok', async ({ type, ok }) => {
  const { fetchFragment } = fetcherFor(() => new Response('{"items":[]}', { headers: { 'content-type': type } }));
  expect(await fetchFragment({ ...REQUEST, candidates: true })).toMatchObject({ ok });
});

it('fails with too-large past 256 KiB', async () => {
  const { fetchFragment } = fetcherFor(() => html(new Uint8Array(256 * 1024 + 1)));
  expect(await fetchFragment(REQUEST)).toMatchObject({ ok: false, reason: 'too-large' });
});

it('accepts exactly 256 KiB', async () => {
  const { fetchFragment } = fetcherFor(() => html(new Uint8Array(256 * 1024)));
  expect(await fetchFragment(REQUEST)).toMatchObject({ ok: true });
});

it('decodes a gzip body', async () => {
  const { fetchFragment } = fetcherFor(() => html(gzipSync('<p>zipped</p>'), { 'content-encoding': 'gzip' }));
  const result = await fetchFragment(REQUEST);
  expect(result.ok && new TextDecoder().decode(result.body)).toBe('<p>zipped</p>');
});

it('stops a gzip bomb at the cap', async () => {
  const bomb = gzipSync(new Uint8Array(64 * 1024 * 1024));
  const { fetchFragment } = fetcherFor(() => html(bomb, { 'content-encoding': 'gzip' }));
  const started = performance.now();
  expect(await fetchFragment(REQUEST)).toMatchObject({ ok: false, reason: 'too-large' });
  expect(performance.now() - started).toBeLessThan(5_000);
});

it('fails with error on an unknown content encoding', async () => {
  const { fetchFragment } = fetcherFor(() => html('x', { 'content-encoding': 'br' }));
  expect(await fetchFragment(REQUEST)).toMatchObject({ ok: false, reason: 'error' });
});

it('times out when the backend does not answer', async () => {
  const { fetchFragment } = fetcherFor(() => new Promise<Response>(() => undefined));
  expect(await fetchFragment({ ...REQUEST, timeoutMs: 30 })).toEqual({ ok: false, reason: 'timeout', cache: 'MISS' });
});

it('times out when the body drips slower than the timeout', async () => {
  const slowBody = new ReadableStream<Uint8Array>({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      controller.enqueue(new Uint8Array([0x61]));
    },
  });
  const { fetchFragment } = fetcherFor(() => html(slowBody));
  expect(await fetchFragment({ ...REQUEST, timeoutMs: 100 })).toMatchObject({ ok: false, reason: 'timeout' });
});

it('fails with error when the backend throws', async () => {
  const { fetchFragment } = fetcherFor(() => Promise.reject(new Error('connection refused')));
  expect(await fetchFragment(REQUEST)).toMatchObject({ ok: false, reason: 'error' });
});

/** `<p>x</p>`, then a body that never ends: only a read that stops at Content-Length finishes in time. */
function endlessAfter(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent) return new Promise<void>(() => undefined);
      sent = true;
      controller.enqueue(bytes);
    },
  });
}

it.each<{ name: string; headers: Record<string, string>; ok: boolean }>([
  { name: 'an unencoded body is read up to its Content-Length', headers: { 'content-length': '8' }, ok: true },
  { name: 'without a Content-Length the body is read to its end', headers: {}, ok: false },
  { name: 'a Content-Length that is not a number is not used', headers: { 'content-length': '8, 8' }, ok: false },
])('$name', async ({ headers, ok }) => {
  const { fetchFragment } = fetcherFor(() => html(endlessAfter(new TextEncoder().encode('<p>x</p>')), headers));
  const result = await fetchFragment({ ...REQUEST, timeoutMs: 60 });
  expect(result).toMatchObject(ok ? { ok: true, body: new TextEncoder().encode('<p>x</p>') } : { ok: false, reason: 'timeout' });
});

/**
 * Without the HTTP cache API the adapter takes an `Age` for a hit (src/fastly/platform-cache-state.ts), and an origin
 * sends its own: such a "hit" may still be arriving, so it is streamed, and a body that stalls is cancelled at the
 * include's deadline as any streamed body is. A whole read (read-held-body.ts) could not be cancelled.
 */
it.each<{ name: string; inferred: boolean | undefined; read: 'whole' | 'streamed' }>([
  { name: 'a hit inferred from Age is streamed, and a stalled body cancelled at the deadline', inferred: true, read: 'streamed' },
  { name: "a hit on the platform's word is read whole", inferred: false, read: 'whole' },
  { name: 'a hit from a port that says nothing is read whole', inferred: undefined, read: 'whole' },
])('$name', async ({ inferred, read }) => {
  const cancelled = vi.fn();
  const body = new ReadableStream<Uint8Array>({ pull: () => new Promise<void>(() => undefined), cancel: cancelled });
  const response = html(body, { age: '30', 'content-length': '8' });
  const wholeRead = vi.spyOn(response, 'arrayBuffer');
  const fetchFragment = createFragmentFetcher({
    fetchBackend: backendPort(() => Promise.resolve({ response, cache: 'HIT', inferred })),
    locale: 'en-GB',
    cacheKeyFor: (url) => `key:${url.pathname}`,
  });
  const result = fetchFragment({ ...REQUEST, timeoutMs: 40 });
  expect(await result).toMatchObject({ ok: false, reason: 'timeout' });
  expect(wholeRead).toHaveBeenCalledTimes(read === 'whole' ? 1 : 0);
  expect(cancelled).toHaveBeenCalledTimes(read === 'streamed' ? 1 : 0);
});
