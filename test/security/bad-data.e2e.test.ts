/**
 * Bad data from our own backends, as a compromised or broken origin would send it: a profile store
 * answering 200 with garbage must trip the breaker like one that is down (and the event must say
 * why later lookups were skipped), and a fragment that is not HTML must never be stitched into the
 * page. Every page stays a 200 with the documented fallback.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { MockHandler } from './support/mock-origin.ts';
import { ESI_HEADERS, send } from './support/mock-origin.ts';
import { startMockStack, type MockStack } from './support/mock-stack.ts';
import { get } from './support/http-client.ts';

let stack: MockStack | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

const PAGE = '<main>page-body<esi:include src="/fragments/seg?seg=$(SEGMENT)"/></main>';
const pageTemplate: MockHandler = (_request, res) => send(res, 200, PAGE, ESI_HEADERS);
const segmentFragment: MockHandler = (request, res) => send(res, 200, `<p>seg:${request.url.searchParams.get('seg') ?? ''}</p>`, { 'cache-control': 'public, max-age=60' });

const GARBAGE_PROFILES: Array<{ name: string; profiles: MockHandler }> = [
  { name: 'an HTML login page with 200', profiles: (_r, res) => send(res, 200, '<html>login</html>', { 'content-type': 'text/html' }) },
  { name: 'truncated JSON', profiles: (_r, res) => send(res, 200, '{"id": "bd", "tier": "go', { 'content-type': 'application/json' }) },
  { name: 'JSON that is not a profile', profiles: (_r, res) => send(res, 200, '{"error":"db down"}', { 'content-type': 'application/json' }) },
  { name: 'a 1 MiB body', profiles: (r, res) => send(res, 200, `{"id":"${r.url.pathname.slice(10)}","pad":"${'x'.repeat(1 << 20)}"}`, { 'content-type': 'application/json' }) },
];

describe('garbage profile answers', () => {
  it.each(GARBAGE_PROFILES)('open the profile breaker after 5 answers that are $name, and later events say breaker-open', async ({ profiles }) => {
    stack = await startMockStack({ handlers: { templates: pageTemplate, fragments: segmentFragment, profiles } });
    const cookie = await stack.visitorCookie('baddata');
    for (let i = 0; i < 8; i++) {
      const page = await get(stack.url('/p'), { cookie });
      expect(page.status).toBe(200);
      expect(page.body).toContain('seg:general');
      await stack.quiet();
    }
    expect(stack.origins.profiles.count()).toBe(5);
    const profileFields = stack.events().map((event) => event.profile as Record<string, unknown>);
    expect(profileFields.slice(0, 5).every((p) => p.outcome === 'invalid' && p.reason === undefined)).toBe(true);
    expect(profileFields.slice(5).map((p) => [p.outcome, p.reason])).toEqual(Array(3).fill(['skipped', 'breaker-open']));
  });
});

const NOT_HTML: Array<{ name: string; headers: Record<string, string> }> = [
  { name: 'text/plain', headers: { 'content-type': 'text/plain; charset=utf-8' } },
  { name: 'application/json', headers: { 'content-type': 'application/json' } },
  { name: 'application/octet-stream', headers: { 'content-type': 'application/octet-stream' } },
  { name: 'image/svg+xml', headers: { 'content-type': 'image/svg+xml' } },
];

describe('fragments that are not HTML', () => {
  it.each(NOT_HTML)('are a failed include when typed $name: the alt renders, the garbage never does', async ({ headers }) => {
    const fragments: MockHandler = (request, res) =>
      request.url.pathname === '/fragments/alt' ? send(res, 200, '<p>alt-ok</p>') : send(res, 200, '<script>garbage()</script>', headers);
    const template = '<main>page-body<esi:include src="/fragments/x" alt="/fragments/alt"/><esi:include src="/fragments/y"/></main>';
    stack = await startMockStack({ handlers: { templates: (_r, res) => send(res, 200, template, ESI_HEADERS), fragments } });
    const page = await get(stack.url('/nh'));
    expect(page.status).toBe(200);
    expect(page.body).toBe('<main>page-body<p>alt-ok</p></main>');
    await stack.quiet();
    const event = stack.events().find((e) => e.path === '/nh');
    expect((event?.fragments as Array<{ outcome: string }>).map((f) => f.outcome)).toEqual(['alt', 'error']);
  });

  it('takes a type the settings add to fragmentTypes', async () => {
    const fragments: MockHandler = (_request, res) => send(res, 200, '<p>xhtml-ok</p>', { 'content-type': 'application/xhtml+xml' });
    const settings = JSON.stringify({ fragmentTypes: ['text/html', 'application/xhtml+xml'] });
    stack = await startMockStack({ handlers: { templates: (_r, res) => send(res, 200, '<main><esi:include src="/fragments/x"/></main>', ESI_HEADERS), fragments }, config: { settings } });
    expect((await get(stack.url('/xh'))).body).toBe('<main><p>xhtml-ok</p></main>');
  });

  it('runs the except branch when a try attempt gets a non-HTML fragment', async () => {
    const fragments: MockHandler = (_request, res) => send(res, 200, '{"oops":true}', { 'content-type': 'application/json' });
    const template = '<main><esi:try><esi:attempt><esi:include src="/fragments/x"/></esi:attempt><esi:except><p>except-ok</p></esi:except></esi:try></main>';
    stack = await startMockStack({ handlers: { templates: (_r, res) => send(res, 200, template, ESI_HEADERS), fragments } });
    const page = await get(stack.url('/try'));
    expect(page.body).toBe('<main><p>except-ok</p></main>');
  });
});
