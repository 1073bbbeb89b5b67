/**
 * Purging a deployed service through Fastly's purge API, against a stand-in API server: one batch
 * request per 256 keys with the token, the keys and the soft flag in headers, and a key counts as
 * purged only when the API's answer names it.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fastlyTargetFromEnv, purgeThroughFastlyApi, type FastlyApiTarget } from '../../../origin/http/fastly-purge-api.ts';
import { DEPLOY_SURROGATE_KEYS, purgeDeployedContent } from '../../../origin/http/edge-purge.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

let api: Server | null = null;

afterEach(() => {
  api?.close();
  api = null;
});

/** A stand-in for api.fastly.com: records each request and answers with `answer(keys)`. */
async function fakeApi(answer: (keys: string[]) => { status: number; body: string }): Promise<{ target: FastlyApiTarget; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const keys = String(req.headers['surrogate-key'] ?? '').split(' ').filter(Boolean);
    const { status, body } = answer(keys);
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  api = server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { target: { serviceId: 'SU1Z0isxPaozGVKXdv0eY', token: 'test-token', endpoint }, seen };
}

const purgedAll = (keys: string[]): { status: number; body: string } => ({ status: 200, body: JSON.stringify(Object.fromEntries(keys.map((key, i) => [key, `purge-${i}`]))) });

describe("purging through Fastly's purge API", () => {
  it('soft-purges every deploy key in one authenticated batch request', async () => {
    const { target, seen } = await fakeApi(purgedAll);
    expect(await purgeDeployedContent({ kind: 'fastly', ...target })).toEqual([]);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/service/SU1Z0isxPaozGVKXdv0eY/purge' });
    expect(seen[0]?.headers).toMatchObject({ 'fastly-key': 'test-token', 'fastly-soft-purge': '1', 'surrogate-key': DEPLOY_SURROGATE_KEYS.join(' ') });
  });

  it('sends no soft-purge header for a hard purge', async () => {
    const { target, seen } = await fakeApi(purgedAll);
    expect(await purgeThroughFastlyApi(target, ['recs-candidates'], false)).toEqual([]);
    expect(seen[0]?.headers['fastly-soft-purge']).toBeUndefined();
  });

  it('splits more than 256 keys into batches', async () => {
    const { target, seen } = await fakeApi(purgedAll);
    const keys = Array.from({ length: 300 }, (_, i) => `k${i}`);
    expect(await purgeThroughFastlyApi(target, keys, false)).toEqual([]);
    expect(seen.map((request) => String(request.headers['surrogate-key']).split(' ').length)).toEqual([256, 44]);
  });

  it.each([
    { name: 'a refused token', status: 401, body: '{"msg":"Provided credentials are missing or invalid"}', missing: ['template', 'frag-hero'] },
    { name: 'an answer that is not JSON', status: 200, body: '<html>', missing: ['template', 'frag-hero'] },
    { name: 'an answer naming one key only', status: 200, body: '{"template":"1"}', missing: ['frag-hero'] },
  ])('reports the keys not confirmed after $name', async ({ status, body, missing }) => {
    const { target } = await fakeApi(() => ({ status, body }));
    expect(await purgeThroughFastlyApi(target, ['template', 'frag-hero'], true)).toEqual(missing);
  });

  it('never sends a key that cannot travel in the header, and reports it', async () => {
    const { target, seen } = await fakeApi(purgedAll);
    expect(await purgeThroughFastlyApi(target, ['ok-key', 'two words', ''], false)).toEqual(['two words', '']);
    expect(seen[0]?.headers['surrogate-key']).toBe('ok-key');
  });

  it('reports every key when the API does not answer', async () => {
    const { target } = await fakeApi(purgedAll);
    api?.close();
    await new Promise((resolve) => api?.once('close', resolve));
    expect(await purgeThroughFastlyApi(target, ['template'], true)).toEqual(['template']);
  });
});

describe('the API settings', () => {
  it.each([
    { name: 'no token', env: { FASTLY_SERVICE_ID: 'abc123' }, error: /FASTLY_API_TOKEN/ },
    { name: 'no service id anywhere', env: { FASTLY_API_TOKEN: 't' }, error: /FASTLY_SERVICE_ID/ },
    { name: 'a malformed service id', env: { FASTLY_API_TOKEN: 't', FASTLY_SERVICE_ID: '../x' }, error: /FASTLY_SERVICE_ID/ },
    { name: 'a plain-http endpoint on another host', env: { FASTLY_API_TOKEN: 't', FASTLY_SERVICE_ID: 'abc', FASTLY_API_ENDPOINT: 'http://api.example.com' }, error: /https/ },
    { name: 'an endpoint that is not a URL', env: { FASTLY_API_TOKEN: 't', FASTLY_SERVICE_ID: 'abc', FASTLY_API_ENDPOINT: 'nope' }, error: /URL/ },
  ])('says what is missing with $name', ({ env, error }) => {
    const result = fastlyTargetFromEnv(env, 'fastly.toml');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(error);
  });

  it('uses the Fastly CLI variables, with the public API by default', () => {
    expect(fastlyTargetFromEnv({ FASTLY_API_TOKEN: 't', FASTLY_SERVICE_ID: 'abc123' }, 'fastly.toml')).toEqual({ ok: true, target: { token: 't', serviceId: 'abc123', endpoint: 'https://api.fastly.com' } });
  });
});
