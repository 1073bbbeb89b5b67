/**
 * Injection through the edge: ESI injection via profile data, fragments and reflected parameters
 * (Dion-Marcil 2018, "Beyond XSS: Edge Side Include Injection"), include-URL forgery (SSRF,
 * docs/threat-model.md#include-ssrf), header injection with CR/LF (#header-injection), and cache-poisoned denial of service (Nguyen,
 * Lo Iacono, Federrath 2019, "Your Cache Has Fallen: Cache-Poisoned Denial-of-Service Attack").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockHandler } from './support/mock-origin.ts';
import { ESI_HEADERS, send } from './support/mock-origin.ts';
import { startMockStack, type MockStack } from './support/mock-stack.ts';
import { get, raw, rawStatus } from './support/http-client.ts';

const ESII = 'Dion-Marcil 2018, Beyond XSS: Edge Side Include Injection';
const CPDOS = 'Nguyen et al. 2019, Your Cache Has Fallen (CPDoS)';
const OVERRIDES = ['x-http-method-override', 'x-http-method', 'x-method-override'];

const FORGED_SRCS = [
  'http://169.254.169.254/latest/meta-data/',
  '//evil.example/x',
  'http://www.example.com@evil.example/',
  'http://www.example.com.evil.example/',
  'http://[::1]:8080/',
  'http://127.0.0.1:1/',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'http://localhost/fragments/x',
  'https://www.example.com:8443/fragments/x',
];

const templates: MockHandler = (request, res) => {
  const path = request.url.pathname;
  if (OVERRIDES.some((name) => name in request.headers)) {
    return send(res, 400, 'bad method', { 'cache-control': 'public, max-age=60' });
  }
  if (path === '/forgery') {
    return send(res, 200, FORGED_SRCS.map((src) => `<esi:include src="${src.replace(/&/g, '&amp;')}" onerror="continue"/>`).join('') + '<p>forgery-ok</p>', ESI_HEADERS);
  }
  if (path === '/forgery/param') return send(res, 200, '<esi:include src="$(QUERY_STRING{u})"/><p>param-ok</p>', ESI_HEADERS);
  send(res, 200, [
    '<main>',
    '<esi:vars><p class="q">q=$(QUERY_STRING{q})|</p><p class="ctx">locale=$(LOCALE) seg=$(SEGMENT)|</p></esi:vars>',
    '<esi:include src="/fragments/echo?q=$(QUERY_STRING{q})"/>',
    '<esi:include src="/fragments/hostile"/>',
    '</main>',
  ].join('\n'), ESI_HEADERS);
};

const HOSTILE_FRAGMENT = [
  '<esi:include src="/fragments/canary-a"/>',
  '<!--esi <esi:include src="/fragments/canary-b"/> -->',
  '<scr<!--esi-->ipt>alert(1)</sc<!--esi-->ript>',
  '<esi:vars>$(HTTP_COOKIE)</esi:vars>',
].join('\n');

const fragments: MockHandler = (request, res) => {
  if (request.url.pathname === '/fragments/hostile') return send(res, 200, HOSTILE_FRAGMENT, { 'cache-control': 'public, max-age=60' });
  if (request.url.pathname === '/fragments/echo') return send(res, 200, `<p class="echo">${request.path}</p>`, { 'cache-control': 'public, max-age=60' });
  send(res, 200, `<p>canary ${request.path}</p>`);
};

/** A compromised profile store: every field tries to inject markup or headers. */
const profiles: MockHandler = (request, res) => {
  const id = decodeURIComponent(request.url.pathname.replace(/^\/profiles\//, ''));
  send(res, 200, JSON.stringify({
    id,
    tier: '<esi:include src="/fragments/canary-c"/>',
    locale: 'en\r\nX-Evil: 1',
    segments: ['<esi:include src="/fragments/canary-d"/>'],
    recentCategories: ['running\r\nSet-Cookie: evil=1'],
    affinities: { '<esi:include src="/fragments/canary-e"/>': 1 },
  }), { 'content-type': 'application/json' });
};

let stack: MockStack;
beforeAll(async () => {
  stack = await startMockStack({ handlers: { templates, fragments, profiles } });
});
afterAll(async () => {
  await stack.close();
});

const canaries = (): string[] => stack.origins.fragments.requests.filter((r) => r.url.pathname.includes('canary')).map((r) => r.path);

describe(`ESI injection (source: ${ESII})`, () => {
  it('inserts a hostile fragment verbatim: nothing inside it is fetched, unwrapped or substituted', async () => {
    const page = await get(stack.url('/inject/fragment'), { cookie: 'secret=cookie-canary-1' });
    expect(page.status).toBe(200);
    expect(page.body).toContain(HOSTILE_FRAGMENT);
    expect(page.body).not.toContain('<script>');
    expect(page.body).not.toContain('cookie-canary-1');
    expect(canaries()).toEqual([]);
  });

  it('treats profile data as data: injected markup in profile fields is never fetched or rendered', async () => {
    const page = await get(stack.url('/inject/profile'), { cookie: await stack.visitorCookie('injector') });
    expect(stack.origins.profiles.count('/profiles/injector')).toBe(1);
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/locale=[a-z]{2}-[A-Z]{2} seg=general\|/);
    expect(page.headers['x-evil']).toBeUndefined();
    expect([page.headers['set-cookie'] ?? []].flat().join()).not.toContain('evil');
    expect(canaries()).toEqual([]);
  });

  it.each([
    { name: 'an include tag', q: '<esi:include src="/fragments/canary-f"/>' },
    { name: 'an ESI comment wrapper', q: '<!--esi <esi:include src="/fragments/canary-g"/> -->' },
    { name: 'a variable reference', q: '$(HTTP_COOKIE)' },
  ])('escapes a reflected parameter carrying $name and fetches nothing from it', async ({ q }) => {
    const page = await get(stack.url(`/inject/param?q=${encodeURIComponent(q)}`), { cookie: 'secret=cookie-canary-2' });
    expect(page.status).toBe(200);
    const shown = /<p class="q">q=([^|]*)\|/.exec(page.body)?.[1];
    expect(shown).toBe(q.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'));
    expect(page.body).not.toContain('cookie-canary-2');
    expect(canaries()).toEqual([]);
  });

  it('percent-encodes a parameter used in an include src, so it cannot add parameters or path segments', async () => {
    const q = 'x&seg=vip/../../admin?y=1#frag';
    await get(stack.url(`/inject/src?q=${encodeURIComponent(q)}`));
    const echoed = stack.origins.fragments.requests.filter((r) => r.url.pathname === '/fragments/echo').map((r) => r.url);
    const forged = echoed.find((url) => url.searchParams.get('q') === q);
    expect(forged).toBeDefined();
    expect([...(forged?.searchParams.keys() ?? [])]).toEqual(['q']);
  });
});

describe('include-URL forgery (source: threat model, include SSRF through include src)', () => {
  it(`refuses all ${FORGED_SRCS.length} forged include sources without a request and still renders the page`, async () => {
    const before = Object.values(stack.origins).reduce((sum, origin) => sum + origin.requests.length, 0);
    const page = await get(stack.url('/forgery'));
    await stack.quiet();
    expect(page.status).toBe(200);
    expect(page.body).toContain('forgery-ok');
    const after = Object.values(stack.origins).reduce((sum, origin) => sum + origin.requests.length, 0);
    expect(after - before).toBe(1);
    const event = stack.events().find((e) => e.path === '/forgery');
    const outcomes = (event?.fragments as Array<{ outcome: string }> | undefined)?.map((f) => f.outcome);
    expect(outcomes).toEqual(FORGED_SRCS.map(() => 'refused'));
  });

  it.each(FORGED_SRCS)('keeps a src built from a parameter (%s) on the page\'s own backends', async (u) => {
    const page = await get(stack.url(`/forgery/param?u=${encodeURIComponent(u)}`));
    expect(page.status).toBe(200);
    expect(page.body).toContain('param-ok');
    const last = stack.origins.templates.requests.at(-1);
    expect(last?.path.startsWith('/forgery/')).toBe(true);
    expect(last?.headers.host).toBe('www.example.com');
  });
});

describe('header injection (source: threat model, header injection, response splitting)', () => {
  it.each([
    { name: 'CR/LF in a cookie', path: '/crlf/cookie', headers: { cookie: 'consent=personalization%0d%0aSet-Cookie:%20evil=1; vid=x%0d%0aX-Evil:%201' } },
    { name: 'CR/LF in the query', path: '/crlf/query?next=%0d%0aLocation:%20//evil.example%0d%0aX-Evil:%201', headers: { cookie: 'consent=none' } },
    { name: 'CR/LF in the path', path: '/crlf/%0d%0aX-Evil:%201', headers: { cookie: 'consent=none' } },
  ])('adds no header with $name', async ({ path, headers }) => {
    const page = await get(stack.url(path), headers);
    expect(page.status).toBe(200);
    expect(page.headers['x-evil']).toBeUndefined();
    expect(page.headers.location).toBeUndefined();
    expect([page.headers['set-cookie'] ?? []].flat().join()).not.toContain('evil');
  });

  it('answers a raw CR inside a header value with a 400, and the next clean request with a 200', async () => {
    const attack = await raw(stack.port, 'GET /crlf/raw HTTP/1.1\r\nhost: 127.0.0.1\r\ncookie: a=1\rX-Evil: 1\r\nconnection: close\r\n\r\n');
    expect(rawStatus(attack)).toBe(400);
    expect((await get(stack.url('/crlf/raw'))).status).toBe(200);
  });
});

describe(`cache-poisoned denial of service (source: ${CPDOS})`, () => {
  it.each([
    { name: 'an oversized header (HHO)', request: `GET /cpdos/hho HTTP/1.1\r\nhost: 127.0.0.1\r\nx-oversized: ${'a'.repeat(20_000)}\r\nconnection: close\r\n\r\n`, path: '/cpdos/hho' },
    { name: 'a meta character in a header (HMC)', request: 'GET /cpdos/hmc HTTP/1.1\r\nhost: 127.0.0.1\r\nx-meta: a\x00b\r\nconnection: close\r\n\r\n', path: '/cpdos/hmc' },
    ...OVERRIDES.map((name) => ({ name: `method override with ${name} (HMO)`, request: `GET /cpdos/${name} HTTP/1.1\r\nhost: 127.0.0.1\r\n${name}: DELETE\r\nconnection: close\r\n\r\n`, path: `/cpdos/${name}` })),
  ])('still serves 200 to the next clean request after $name', async ({ request, path }) => {
    const attack = rawStatus(await raw(stack.port, request));
    expect([200, 400, 431]).toContain(attack);
    await stack.quiet();
    const clean = await get(stack.url(path));
    expect(clean.status).toBe(200);
    expect(clean.body).toContain('<main>');
    expect(stack.origins.templates.requests.filter((r) => OVERRIDES.some((name) => name in r.headers))).toEqual([]);
  });
});
