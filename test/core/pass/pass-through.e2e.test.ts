/**
 * Pass-through on the Node host: requests that are not personalized page views reach the
 * `templates` origin as the client sent them and come back as the origin answered, uncached,
 * unprocessed, with no decision event and no profile lookup.
 */
import { createHash } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ESI_HEADERS, send, type MockHandler } from '../../security/support/mock-origin.ts';
import { startMockStack, type MockStack } from '../../security/support/mock-stack.ts';
import { get } from '../../security/support/http-client.ts';
import { settingsWith } from '../../../src/local-platform/relaxed-timeouts.ts';

let stack: MockStack | null = null;
let extra: Server | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
  await new Promise<void>((resolve) => (extra ? extra.close(() => resolve()) : resolve()));
  extra = null;
});

const reflect: MockHandler = (request, res) =>
  send(res, request.method === 'POST' ? 201 : 200, `<esi:include src="/fragments/x"/>${request.method} ${request.path} body=${request.body}`, {
    ...ESI_HEADERS,
    'set-cookie': 'cart=c1; Path=/; HttpOnly',
    'x-origin': 'yes',
  });

const withPrefixes = { settings: JSON.stringify({ ...JSON.parse(settingsWith({})), passPrefixes: ['/api/', '/checkout'] }) };

describe('pass-through to the templates origin', () => {
  it.each(['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])('forwards %s with its body, cookies and headers, and returns the answer as sent', async (method) => {
    stack = await startMockStack({ handlers: { templates: reflect }, config: withPrefixes });
    const body = '{"sku":"sku-1001"}';
    // Content-Length set by hand: node:http sends DELETE and OPTIONS bodies unframed otherwise.
    const headers = { cookie: 'sid=abc; consent=none', authorization: 'Bearer t', 'content-type': 'application/json', 'x-client': 'c', 'content-length': String(body.length) };
    const response = await get(stack.url('/cart?x=1'), headers, method, body);
    expect(response.status).toBe(method === 'POST' ? 201 : 200);
    expect(response.body).toBe(`<esi:include src="/fragments/x"/>${method} /cart?x=1 body={"sku":"sku-1001"}`);
    expect(response.headers['set-cookie']).toEqual(['cart=c1; Path=/; HttpOnly']);
    expect(response.headers['x-origin']).toBe('yes');
    expect(response.headers['surrogate-control']).toBeUndefined();
    const seen = stack.origins.templates.requests.at(-1);
    expect(seen).toMatchObject({ method, headers: { cookie: 'sid=abc; consent=none', authorization: 'Bearer t', 'x-client': 'c' } });
    await stack.quiet();
    expect(stack.events()).toEqual([]);
    expect(stack.origins.profiles.count()).toBe(0);
    expect(stack.origins.fragments.count()).toBe(0);
  });

  it('passes a GET under a configured prefix with its cookies and never caches it', async () => {
    stack = await startMockStack({ handlers: { templates: reflect }, config: withPrefixes });
    for (let i = 0; i < 2; i++) {
      const response = await get(stack.url('/api/items'), { cookie: 'sid=abc' });
      expect(response.body).toContain('GET /api/items');
    }
    expect(stack.origins.templates.count('/api/items')).toBe(2);
    expect(stack.origins.templates.requests.every((r) => r.headers.cookie === 'sid=abc')).toBe(true);
    await stack.quiet();
    expect(stack.events()).toEqual([]);
  });

  it('keeps page views on the personalized path, with no client cookie sent to the origin', async () => {
    stack = await startMockStack({ handlers: { templates: reflect, fragments: (_r, res) => send(res, 200, '<p>frag</p>') }, config: withPrefixes });
    const response = await get(stack.url('/apiary'), { cookie: 'sid=abc' });
    expect(response.body).toContain('<p>frag</p>');
    expect(stack.origins.templates.requests.at(-1)?.headers.cookie).toBeUndefined();
    await stack.quiet();
    expect(stack.events()).toHaveLength(1);
  });

  it('removes hop-by-hop headers, including those named by Connection', async () => {
    stack = await startMockStack({ handlers: { templates: reflect } });
    await get(stack.url('/form'), { connection: 'keep-alive, x-hop', 'x-hop': 'secret', 'x-end': 'kept', 'content-type': 'text/plain' }, 'POST', 'a=1');
    const seen = stack.origins.templates.requests.at(-1);
    expect(seen?.headers['x-hop']).toBeUndefined();
    expect(seen?.headers['x-end']).toBe('kept');
  });

  it('answers 504 when the origin does not answer within the templates first-byte timeout', async () => {
    stack = await startMockStack({ handlers: { templates: () => undefined }, backends: { templates: { first_byte_timeout_ms: 300 } } });
    const response = await get(stack.url('/slow-form'), {}, 'POST', 'x');
    expect(response.status).toBe(504);
    expect(response.headers['cache-control']).toBe('private, no-store');
  });

  it('waits for a slow origin that answers within the timeout', async () => {
    stack = await startMockStack({ handlers: { templates: async (r, res) => { await new Promise((resolve) => setTimeout(resolve, 400)); await reflect(r, res); } } });
    const response = await get(stack.url('/slow-but-fine'), {}, 'POST', 'late');
    expect(response.status).toBe(201);
    expect(response.body).toContain('body=late');
  });

  it('streams a 5 MB upload through: the origin receives bytes before the client has sent them all', async () => {
    let received = 0;
    const hash = createHash('sha256');
    let firstMegabyteSeen = (): void => undefined;
    const firstMegabyte = new Promise<void>((resolve) => (firstMegabyteSeen = resolve));
    extra = createServer((req, res) => {
      req.on('data', (chunk: Buffer) => {
        received += chunk.length;
        hash.update(chunk);
        if (received >= 1 << 20) firstMegabyteSeen();
      });
      req.on('end', () => send(res, 200, `${received} ${hash.digest('hex')}`, { 'content-type': 'text/plain' }));
    });
    await new Promise<void>((resolve) => extra?.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(extra.address() as AddressInfo).port}/`;
    stack = await startMockStack({ backends: { templates: { url } } });
    const chunk = Buffer.alloc(1 << 20, 0x61);
    const expected = createHash('sha256');
    const answer = new Promise<string>((resolve, reject) => {
      const outgoing = httpRequest(stack?.url('/upload') ?? '', { method: 'POST', headers: { 'content-type': 'application/octet-stream' } }, (incoming) => {
        let body = '';
        incoming.on('data', (data: Buffer) => (body += data.toString()));
        incoming.on('end', () => resolve(body));
      });
      outgoing.on('error', reject);
      // Chunked: no Content-Length. The rest is sent only after the origin has seen the first MB,
      // which never happens if the edge buffers the whole body.
      outgoing.write(chunk);
      expected.update(chunk);
      void firstMegabyte.then(() => {
        for (let i = 0; i < 4; i++) {
          outgoing.write(chunk);
          expected.update(chunk);
        }
        outgoing.end();
      });
    });
    expect(await answer).toBe(`${5 << 20} ${expected.digest('hex')}`);
  }, 30_000);
});
