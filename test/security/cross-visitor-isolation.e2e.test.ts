/**
 * Cross-visitor isolation (Fastly Cookie docs: a cached personalized response "may end up" with
 * someone else; docs/threat-model.md#shared-cache-leak): many visitors of one segment at once, each with a unique marker in
 * their profile and per-visitor fragment, never see another's marker, and `Set-Cookie` is never cached.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockHandler } from './support/mock-origin.ts';
import { ESI_HEADERS, send } from './support/mock-origin.ts';
import { startMockStack, type MockStack } from './support/mock-stack.ts';
import { get } from './support/http-client.ts';

const SOURCE = 'Fastly Cookie header docs; threat model: shared-cache leak';
let cookieSerial = 0;

const templates: MockHandler = (request, res) => {
  if (request.url.pathname === '/sets-cookie' || request.url.pathname === '/sets-cookie.txt') {
    const esi = request.url.pathname === '/sets-cookie';
    const headers = esi ? ESI_HEADERS : { 'content-type': 'text/plain', 'cache-control': 'public, max-age=60' };
    return send(res, 200, esi ? '<p>cart</p>' : 'plain', { ...headers, 'set-cookie': `sid=s${++cookieSerial}; Path=/` });
  }
  send(res, 200, [
    '<main>',
    '<esi:include src="/fragments/segment?seg=$(SEGMENT)"/>',
    '<esi:include src="/fragments/visitor?vid=$(VISITOR)"/>',
    '</main>',
  ].join(''), ESI_HEADERS);
};

const fragments: MockHandler = (request, res) => {
  if (request.url.pathname === '/fragments/visitor') {
    // A misbehaving origin: a per-visitor fragment marked public. Only the edge can keep it private.
    return send(res, 200, `<p class="mine">marker-${request.url.searchParams.get('vid') ?? 'none'}-end</p>`, { 'cache-control': 'public, max-age=60' });
  }
  send(res, 200, `<p class="seg">${request.url.searchParams.get('seg') ?? ''}</p>`, { 'cache-control': 'public, max-age=60' });
};

/** Each profile carries its visitor's marker in every free-text field it has. */
const profiles: MockHandler = async (request, res) => {
  const id = decodeURIComponent(request.url.pathname.replace(/^\/profiles\//, ''));
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
  send(res, 200, JSON.stringify({ id, tier: 'gold', segments: [`marker-${id}-end`], recentCategories: [`marker-${id}-end`] }), { 'content-type': 'application/json' });
};

/** Generous budgets: this test is about isolation under concurrency, not about timeouts. */
const RELAXED = JSON.stringify({ profileTimeoutMs: 3_000, fragmentTimeoutMs: 3_000, pageDeadlineMs: 5_000, debugHeaders: true });

let stack: MockStack;
beforeAll(async () => {
  stack = await startMockStack({ handlers: { templates, fragments, profiles }, config: { settings: RELAXED } });
});
afterAll(async () => {
  await stack.close();
});

describe(`cross-visitor isolation (source: ${SOURCE})`, () => {
  it('gives 120 concurrent visitors of one segment only their own marker, on one cold key', async () => {
    const ids = Array.from({ length: 120 }, (_, i) => `iso${i}x${Math.random().toString(36).slice(2, 7)}`);
    const cookies = await Promise.all(ids.map((id) => stack.visitorCookie(id)));
    const pages = await Promise.all(ids.map((_id, i) => get(stack.url('/isolation'), { cookie: cookies[i] ?? '' })));
    const markers = pages.map((page) => [...page.body.matchAll(/marker-([\w-]+?)-end/g)].map((m) => m[1]));
    expect(pages.every((page) => page.status === 200 && page.body.includes('<p class="seg">vip</p>'))).toBe(true);
    expect(markers).toEqual(ids.map((id) => [id]));
    // Every visitor's fragment was fetched for that visitor: nothing collapsed or shared.
    expect(stack.origins.fragments.count('/fragments/visitor')).toBe(ids.length);
    expect(stack.origins.profiles.count('/profiles/')).toBe(ids.length);
  });

  it('serves an anonymous visitor after them no one\'s marker', async () => {
    await stack.quiet();
    const anonymous = await get(stack.url('/isolation'));
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).not.toMatch(/marker-iso/);
  });

  it.each([
    { kind: 'an ESI page', path: '/sets-cookie' },
    { kind: 'a pass-through asset', path: '/sets-cookie.txt' },
  ])('never caches a Set-Cookie from $kind: each visitor gets their own or none', async ({ path }) => {
    const first = await get(stack.url(path));
    await stack.quiet();
    const second = await get(stack.url(path));
    const cookiesOf = (r: typeof first): string[] => [r.headers['set-cookie'] ?? []].flat();
    expect(first.status).toBe(200);
    expect(cookiesOf(second).filter((c) => cookiesOf(first).includes(c))).toEqual([]);
    expect(stack.origins.templates.count(path)).toBe(2);
  });
});
