/**
 * Cache-key discrepancies: parameter cloaking, duplicate parameters, encoded delimiters and a body
 * on GET (Kettle 2020, "Web Cache Entanglement"), and the rule that the URL forwarded to the
 * origin is the URL that was keyed; then cache deception paths (Gil 2017; Mirheidari et al.,
 * "Cached and Confused", USENIX Security 2020; PortSwigger 2024, "Gotta cache 'em all").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockHandler } from './support/mock-origin.ts';
import { ESI_HEADERS, reflection, send } from './support/mock-origin.ts';
import { startMockStack, type MockStack } from './support/mock-stack.ts';
import { goldProfiles, reflectingFragment } from './support/reflecting-origin.ts';
import { get, raw, rawStatus } from './support/http-client.ts';

/** Like many frameworks: splits on `&` and `;`, and the last duplicate wins. */
function lenientParam(search: string, name: string): string {
  let value = '';
  for (const pair of search.replace(/^\?/, '').split(/[&;]/)) {
    const eq = pair.indexOf('=');
    const key = decodeURIComponent((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '));
    if (key === name) value = decodeURIComponent((eq < 0 ? '' : pair.slice(eq + 1)).replace(/\+/g, ' '));
  }
  return value;
}

/** Private pages by prefix, after decoding, like many real origins: `/account%3Fx.css` is the account. */
function isAccount(path: string): boolean {
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // a malformed escape is matched as sent
  }
  return decoded.toLowerCase().includes('account');
}

const templates: MockHandler = (request, res) => {
  if (isAccount(request.url.pathname)) {
    // A misconfigured origin: the private page is marked public, and only the edge can keep it private.
    return send(res, 200, `<main>account<esi:include src="/fragments/visitor?vid=$(VISITOR)"/></main>`, ESI_HEADERS);
  }
  const originSeg = lenientParam(request.url.search, 'seg');
  const body = `<p class="seen">origin-seg=${originSeg}|</p><esi:vars><p class="keyed">edge-seg=$(QUERY_STRING{seg})|</p></esi:vars>${reflection(request)}`;
  send(res, 200, body, ESI_HEADERS);
};

const fragments: MockHandler = (request, res) => {
  if (request.url.pathname === '/fragments/visitor') {
    return send(res, 200, `<p class="mine">visitor=${request.url.searchParams.get('vid') ?? ''}</p>`, { 'cache-control': 'public, max-age=60' });
  }
  return reflectingFragment(request, res);
};

let stack: MockStack;
beforeAll(async () => {
  stack = await startMockStack({ handlers: { templates, fragments, profiles: goldProfiles } });
});
afterAll(async () => {
  await stack.close();
});

const seen = (body: string): string => /origin-seg=([^|]*)\|/.exec(body)?.[1] ?? 'missing';
const keyed = (body: string): string => /edge-seg=([^|]*)\|/.exec(body)?.[1] ?? 'missing';

const CLOAKING = [
  { name: 'a ; separator after a tracking parameter', query: '?utm_content=x;seg=vip' },
  { name: 'a ; separator after a keyed parameter', query: '?a=1;seg=vip' },
  { name: 'duplicate parameters (first vs last wins)', query: '?seg=general&seg=vip' },
  { name: 'an encoded & delimiter', query: '?a=1%26seg%3Dvip' },
  { name: 'an encoded ; delimiter', query: '?a=1%3Bseg%3Dvip' },
  { name: 'an encoded = in the name', query: '?seg%3Dvip=1' },
  { name: 'a tracking parameter hiding a duplicate', query: '?seg=general&utm_source=1&seg=vip' },
  { name: 'a + and %20 in the value', query: '?seg=v+i%20p' },
];

describe('parameter cloaking (source: Kettle 2020, Web Cache Entanglement)', () => {
  it.each(CLOAKING)('keys exactly what the origin sees with $name', async ({ name, query }) => {
    const path = `/cloak/${encodeURIComponent(name)}`;
    const before = stack.origins.templates.count(path);
    const attack = await get(stack.url(`${path}${query}`));
    expect(attack.status).toBe(200);
    // What a lenient origin parsed equals what the edge keyed on.
    expect(seen(attack.body)).toBe(keyed(attack.body));
    const forwarded = stack.origins.templates.requests.at(-1)?.path ?? '';
    expect(forwarded.startsWith(path)).toBe(true);
    // The forwarded URL, requested as is, is the same cache entry: no second origin request.
    const replay = await get(stack.url(forwarded));
    expect(replay.body).toBe(attack.body);
    expect(stack.origins.templates.count(path) - before).toBe(1);
  });

  it('ignores a body on GET (fat GET): the origin never sees it and the page is the bodiless one', async () => {
    const response = await raw(stack.port, `GET /fat-get HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: 7\r\nconnection: close\r\n\r\nseg=vip`);
    expect(rawStatus(response)).toBe(200);
    const sent = stack.origins.templates.requests.filter((r) => r.path === '/fat-get');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'GET', body: '' });
    expect(sent[0]?.headers['content-length']).toBeUndefined();
    const clean = await get(stack.url('/fat-get'));
    expect(keyed(clean.body)).toBe('');
    expect(clean.body).not.toContain('seg=vip');
  });

  it('ignores a chunked body on GET', async () => {
    const response = await raw(stack.port, `GET /fat-get-chunked HTTP/1.1\r\nhost: 127.0.0.1\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n7\r\nseg=vip\r\n0\r\n\r\n`);
    expect(rawStatus(response)).toBe(200);
    expect(stack.origins.templates.requests.find((r) => r.path === '/fat-get-chunked')?.body).toBe('');
  });
});

const DECEPTION = ['/account/x.css', '/account;x.css', '/account%23x.css', '/account%3Fx.css', '/account%00.css', '/account%0A.css', '/static/..%2Faccount', '/account/..%2Fstyle.css', '/ACCOUNT/x.js'];

describe('cache deception (source: Gil 2017; Mirheidari et al. 2020, Cached and Confused; PortSwigger 2024, Gotta cache em all)', () => {
  it.each(DECEPTION)('never stores the victim page for %s', async (path) => {
    const victim = `victim${Math.random().toString(36).slice(2, 10)}`;
    const lured = await get(stack.url(path), { cookie: await stack.visitorCookie(victim) });
    expect(lured.status).toBe(200);
    expect(lured.body).toContain(`visitor=${victim}`);
    expect(lured.headers['cache-control']).toBe('private, no-store');
    await stack.quiet();
    const anonymous = await get(stack.url(path));
    expect(anonymous.body).not.toContain(victim);
    // The per-visitor fragment was fetched per visitor, never from a shared entry.
    const fetched = stack.origins.fragments.requests.filter((r) => r.path.includes(victim));
    expect(fetched).toHaveLength(1);
  });
});
