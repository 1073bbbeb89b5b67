/**
 * When a page's template fetch starts beside the visitor's profile lookup (page-lookup.ts, issue #11
 * item 4), on a page keyed on the decision (stored lately, so its variation is known): beside a call
 * to the profile store, whose answer the decision waits on; not beside an answer from the visitor's
 * edge-cache entry, fresh or stale, where the page is looked up with the decision first and a stored
 * copy answers with no template request at all. Order is what the tests read (which request reached
 * a backend before which answer), never the clock.
 */
import { describe, expect, it } from 'vitest';
import { createHandler } from '../../../src/core/handler.ts';
import { DEFAULT_BREAKER_OPTIONS } from '../../../src/core/backend/circuit-breaker.ts';
import { DEFAULT_PROFILE_CLIENT_OPTIONS } from '../../../src/core/profile/profile-client.ts';
import { makeContext, makeDeps, type TestDeps } from '../../support/make-deps.ts';
import { candidates, cookieOf, ESI_HEADERS, PROFILES, TEMPLATE } from './ranked-page-kit.ts';

type Store = (id: string) => Promise<Response>;

/**
 * The ranked-page site, with a log of what each backend saw in order: `template` when the template
 * is requested, `profile <id>` when the store answers. The store (but for visitor-a, who stores the
 * page) answers only once a template has been asked for since the log was last cleared, or after
 * 200 ms (well inside the 5 s budget) if none is: then the log shows the template waited for it.
 */
function siteWith(store: Store): { deps: TestDeps; order: string[] } {
  const order: string[] = [];
  let waiting: Array<() => void> = [];
  const templateAsked = (): Promise<void> => (order.includes('template') ? Promise.resolve() : new Promise((resolve) => waiting.push(resolve)));
  const deps = makeDeps({
    backends: {
      templates: () => {
        order.push('template');
        for (const resolve of waiting) resolve();
        waiting = [];
        return new Response(TEMPLATE, { headers: ESI_HEADERS });
      },
      fragments: (request) => (new URL(request.url).pathname === '/fragments/banner' ? new Response('<aside>banner</aside>', { headers: { 'content-type': 'text/html', 'cache-control': 'max-age=120' } }) : candidates('compact')),
      profiles: async (request) => {
        const id = new URL(request.url).pathname.split('/').pop() ?? '';
        if (id !== 'visitor-a') await Promise.race([templateAsked(), slowly(200)]);
        const response = await store(id);
        order.push(`profile ${id}`);
        return response;
      },
    },
    // A budget far above any delay here: the store's answer is always waited for.
    config: { settings: JSON.stringify({ debugHeaders: true, profileTimeoutMs: 5_000 }), segments: JSON.stringify({ version: 1, default: 'general', rules: [] }) },
  });
  return { deps, order };
}

const known = (id: string): Promise<Response> => Promise.resolve(PROFILES[id] ? Response.json(PROFILES[id]) : new Response('none', { status: 404 }));
const failing = (id: string): Promise<Response> => (id === 'visitor-a' ? known(id) : Promise.resolve(new Response('down', { status: 503 })));
const slowly = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function view(deps: TestDeps, visitor: string | null, cookie?: string): Promise<{ status: number; cache: string; profile: { outcome: string; reason?: string } }> {
  const context = makeContext();
  const headers = cookie === undefined ? await cookieOf(visitor) : { cookie };
  const response = await createHandler(deps)(new Request('https://shop.example/p', { headers }), context);
  await response.text();
  await context.settled();
  const event = deps.events().at(-1) as { profile: { outcome: string; reason?: string } };
  return { status: response.status, cache: /cache=(\w+)/.exec(response.headers.get('x-personalization') ?? '')?.[1] ?? '', profile: event.profile };
}

describe('the template fetch beside the profile store, on a page keyed on the decision', () => {
  it('asks for the template before the slow store answers when the page misses', async () => {
    const { deps, order } = siteWith(known);
    expect((await view(deps, 'visitor-a')).cache).toBe('MISS');
    order.length = 0;
    // No signals (the store knows no such visitor): a key of its own, not stored yet.
    const page = await view(deps, 'visitor-unknown');
    expect([page.status, page.cache, page.profile.outcome]).toEqual([200, 'MISS', 'unknown']);
    expect(order).toEqual(['template', 'profile visitor-unknown']);
  });

  it('fetches the template beside the store call also when the page turns out stored, and discards it', async () => {
    const { deps, order } = siteWith(known);
    await view(deps, 'visitor-a');
    order.length = 0;
    const hit = await view(deps, 'visitor-b');
    expect([hit.cache, hit.profile.outcome]).toEqual(['HIT', 'hit']);
    expect(order).toEqual(['template', 'profile visitor-b']);
  });

  it('asks for no template when the profile answers from a fresh edge-cache entry and the page is stored', async () => {
    const { deps, order } = siteWith(known);
    await view(deps, 'visitor-a');
    await view(deps, 'visitor-b');
    order.length = 0;
    const hit = await view(deps, 'visitor-b');
    expect([hit.cache, hit.profile.outcome]).toEqual(['HIT', 'cached']);
    expect(order).toEqual([]);
  });

  it('asks for no template when the entry is stale: the store is asked behind the answer', async () => {
    const { deps, order } = siteWith(known);
    await view(deps, 'visitor-a');
    await view(deps, 'visitor-b');
    deps.advance(DEFAULT_PROFILE_CLIENT_OPTIONS.ttlMs + 1);
    order.length = 0;
    const hit = await view(deps, 'visitor-b');
    expect([hit.cache, hit.profile.outcome]).toEqual(['HIT', 'cached']);
    expect(order).toEqual(['profile visitor-b']);
  });

  it('serves a page (no 5xx) from the context when the store fails, the template asked for beside the failed call', async () => {
    const { deps, order } = siteWith(failing);
    await view(deps, 'visitor-a');
    order.length = 0;
    const page = await view(deps, 'visitor-b');
    expect([page.status, page.cache, page.profile.outcome]).toEqual([200, 'MISS', 'error']);
    expect(order).toEqual(['template', 'profile visitor-b']);
  });

  it('looks the page up first when the breaker refuses the store call: no network wait to overlap, a stored copy answers', async () => {
    const { deps, order } = siteWith(failing);
    await view(deps, 'visitor-a');
    await view(deps, null); // stores the copy for visitors without signals
    for (let i = 0; i < DEFAULT_BREAKER_OPTIONS.failureThreshold; i++) await view(deps, `visitor-down-${i}`);
    order.length = 0;
    const page = await view(deps, 'visitor-refused');
    expect([page.status, page.cache, page.profile.outcome, page.profile.reason]).toEqual([200, 'HIT', 'skipped', 'breaker-open']);
    expect(order).toEqual([]);
  });

  it('answers a visitor with a tampered vid from the stored copy, asking neither backend', async () => {
    const { deps, order } = siteWith(known);
    await view(deps, 'visitor-a');
    await view(deps, null);
    order.length = 0;
    const { cookie } = (await cookieOf('visitor-b')) as { cookie: string };
    const page = await view(deps, null, `${cookie.slice(0, -2)}xx`);
    expect([page.status, page.cache]).toEqual([200, 'HIT']);
    expect(order).toEqual([]);
  });
});
