import { describe, expect, it } from 'vitest';
import { isPassThrough, passThrough } from '../../../src/core/pass/pass-through.ts';
import { parseSettings } from '../../../src/core/config/settings.ts';
import { makeDeps } from '../../support/make-deps.ts';

const settings = { passPrefixes: ['/api/', '/checkout'] };

describe('isPassThrough', () => {
  it.each([
    { method: 'GET', path: '/', expected: false },
    { method: 'HEAD', path: '/category/running', expected: false },
    { method: 'POST', path: '/cart', expected: true },
    { method: 'PUT', path: '/api/x', expected: true },
    { method: 'OPTIONS', path: '/', expected: true },
    { method: 'DELETE', path: '/product/x', expected: true },
    { method: 'GET', path: '/api/items', expected: true },
    { method: 'HEAD', path: '/checkout/step-2', expected: true },
    { method: 'GET', path: '/%61pi/items', expected: true },
    { method: 'GET', path: '/apiary', expected: false },
    { method: 'GET', path: '/%E0%A4%A', expected: false },
  ])('$method $path passes: $expected', ({ method, path, expected }) => {
    expect(isPassThrough(method, path, settings)).toBe(expected);
  });
});

describe('settings.passPrefixes', () => {
  it('defaults to no prefixes', () => {
    expect(parseSettings('{}').value.passPrefixes).toEqual([]);
  });

  it.each([
    { name: 'a string', raw: '"/api/"' },
    { name: 'a prefix without a leading slash', raw: '["api/"]' },
    { name: 'a number', raw: '[1]' },
    { name: 'a prefix over 256 characters', raw: `["/${'a'.repeat(256)}"]` },
  ])('rejects the whole document for $name', ({ raw }) => {
    const parsed = parseSettings(`{"passPrefixes": ${raw}}`);
    expect(parsed.value.passPrefixes).toEqual([]);
    expect(parsed.problems.join()).toContain('passPrefixes');
  });
});

describe('passThrough', () => {
  // Each request states its content type: under the test runner's globals, copying the headers of a
  // request whose body implied its content type keeps only that one header.
  const hopHeaders = { 'content-type': 'text/plain', connection: 'keep-alive, x-hop', 'keep-alive': 'timeout=5', 'x-hop': 'one hop', 'proxy-authorization': 'Basic Zm9vOmJhcg==', te: 'trailers', 'x-end': 'kept' };

  it('forwards the method and body to the templates origin without hop-by-hop headers or the proxy credentials', async () => {
    const seen: Request[] = [];
    const deps = makeDeps({ backends: { templates: (request) => (seen.push(request), new Response('done', { status: 201 })) } });
    const response = await passThrough(new Request('https://shop.example/cart', { method: 'POST', body: 'a=1', headers: hopHeaders }), deps);
    expect(response.status).toBe(201);
    expect(deps.calls).toMatchObject([{ backend: 'templates', options: { pass: true } }]);
    const forwarded = seen[0]!;
    expect(forwarded.method).toBe('POST');
    expect(await forwarded.text()).toBe('a=1');
    expect([...forwarded.headers.keys()].sort()).toEqual(['content-type', 'x-end']);
  });

  it('returns the origin\'s answer without hop-by-hop or edge-only headers', async () => {
    const headers = { ...hopHeaders, 'surrogate-control': 'max-age=60', 'surrogate-key': 'cart', 'set-cookie': 'cart=1' };
    const deps = makeDeps({ backends: { templates: () => new Response('cart', { status: 200, statusText: 'Fine', headers }) } });
    const response = await passThrough(new Request('https://shop.example/cart', { method: 'POST' }), deps);
    expect(response.statusText).toBe('Fine');
    expect(await response.text()).toBe('cart');
    expect([...response.headers.keys()].sort()).toEqual(['content-type', 'set-cookie', 'x-end']);
  });

  it.each([
    { name: 'a timeout', error: new Error('first byte timeout'), status: 504 },
    { name: 'a refused connection', error: new Error('connect ECONNREFUSED'), status: 502 },
  ])('answers $status with an uncached error page when the origin fails with $name', async ({ error, status }) => {
    const deps = makeDeps({ backends: { templates: () => Promise.reject(error) } });
    const response = await passThrough(new Request('https://shop.example/api/x', { method: 'PUT', body: '{}' }), deps);
    expect(response.status).toBe(status);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
  });
});
