/**
 * The fault matrix (docs/threat-model.md#faults, rows R1-R11; the policy is docs/contracts.md#failure-policy): profile store, fragment and template origin
 * faults against the Node-host edge with mock origins, each with the expected page, status and
 * decision-event outcome. A fresh stack per case, so breaker and cache state never leak between rows.
 */
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { MockHandler, MockRequest } from '../security/support/mock-origin.ts';
import { ESI_HEADERS, send } from '../security/support/mock-origin.ts';
import { startMockStack, type MockStack } from '../security/support/mock-stack.ts';
import { get } from '../security/support/http-client.ts';
import { settingsWith } from '../../src/local-platform/relaxed-timeouts.ts';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const json = { 'content-type': 'application/json', 'cache-control': 'no-store' };
const cut = (_request: MockRequest, res: ServerResponse): void => void res.socket?.destroy();

async function drip(res: ServerResponse, body: string, everyMs: number): Promise<void> {
  res.writeHead(200, { ...json, 'content-length': String(body.length) });
  for (const char of body) {
    if (res.destroyed) return;
    res.write(char);
    await sleep(everyMs);
  }
  res.end();
}

const PAGE = '<main>page-body<esi:include src="/fragments/seg?seg=$(SEGMENT)"/></main>';
const pageTemplate: MockHandler = (_request, res) => send(res, 200, PAGE, ESI_HEADERS);
const segmentFragment: MockHandler = (request, res) => send(res, 200, `<p>seg:${request.url.searchParams.get('seg') ?? ''}</p>`, { 'cache-control': 'public, max-age=60' });
const goldProfile = (id: string): string => JSON.stringify({ id, tier: 'gold' });

let stack: MockStack | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

async function lastEvent(path: string): Promise<Record<string, unknown>> {
  await stack?.quiet();
  const event = stack?.events().filter((e) => e.path === path).at(-1);
  if (!event) throw new Error(`no decision event for ${path}`);
  return event;
}

const PROFILE_FAULTS: Array<{ fault: string; source: string; profiles: MockHandler; outcome: string }> = [
  { fault: 'healthy (control row)', source: 'contracts: profile store', profiles: (r, res) => send(res, 200, goldProfile(r.url.pathname.slice(10)), json), outcome: 'hit' },
  { fault: 'unknown visitor (404)', source: 'contracts: profile store', profiles: (_r, res) => send(res, 404, '', json), outcome: 'unknown' },
  { fault: 'slow (300 ms, budget 50 ms)', source: 'R1, Varnish b00023 first-byte timeout', profiles: async (r, res) => { await sleep(300); send(res, 200, goldProfile(r.url.pathname.slice(10)), json); }, outcome: 'timeout' },
  { fault: 'down (connection reset)', source: 'R2, Envoy/Hystrix', profiles: cut, outcome: 'error' },
  { fault: '500', source: 'R3, Varnish abandon-on-5xx', profiles: (_r, res) => send(res, 500, 'boom', json), outcome: 'error' },
  { fault: 'garbage (truncated JSON)', source: 'R4, Hystrix fallback', profiles: (_r, res) => send(res, 200, '{"id": "fm", "tier": "go', json), outcome: 'invalid' },
  { fault: 'garbage (HTML with 200)', source: 'R4', profiles: (_r, res) => send(res, 200, '<html>login</html>', { 'content-type': 'text/html' }), outcome: 'invalid' },
  { fault: 'huge (1 MiB body)', source: 'R5, 64 KiB cap', profiles: (r, res) => send(res, 200, `{"id":"${r.url.pathname.slice(10)}","tier":"gold","pad":"${'x'.repeat(1 << 20)}"}`, json), outcome: 'invalid' },
  { fault: 'dripping (1 byte per 20 ms)', source: 'R5, toxiproxy slicer', profiles: (r, res) => drip(res, goldProfile(r.url.pathname.slice(10)), 20), outcome: 'timeout' },
];

describe('profile store faults (expected: 200, the page, the default segment; source per row)', () => {
  it.each(PROFILE_FAULTS)('renders the default page when the profile store is $fault (source: $source)', async ({ profiles, outcome, fault }) => {
    // Timeout rows get the production budget (50 ms) against a fault far slower than it; the others
    // keep the test stack's generous budget, so a busy machine cannot turn them into timeouts.
    const config = outcome === 'timeout' ? { settings: settingsWith({ profileTimeoutMs: 50 }) } : {};
    stack = await startMockStack({ handlers: { templates: pageTemplate, fragments: segmentFragment, profiles }, config });
    const started = performance.now();
    const page = await get(stack.url('/p'), { cookie: await stack.visitorCookie('fmvisitor') });
    expect(page.status).toBe(200);
    expect(page.body).toContain('page-body');
    expect(page.body).toContain(fault.startsWith('healthy') ? 'seg:vip' : 'seg:general');
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await lastEvent('/p')).toMatchObject({ status: 200, segment: fault.startsWith('healthy') ? 'vip' : 'general', profile: { outcome } });
  });
});

const INCLUDE = '<main>page-body<esi:include src="/fragments/x" alt="/fragments/alt"/><esi:include src="/fragments/y"/></main>';
const FRAGMENT_FAULTS: Array<{ fault: string; source: string; x: MockHandler; shows: string[]; outcomes: string[] }> = [
  { fault: 'healthy (control row)', source: 'contracts: ESI dialect', x: (_r, res) => send(res, 200, '<p>x-ok</p>'), shows: ['x-ok', 'y-ok'], outcomes: ['ok', 'ok'] },
  { fault: '404', source: 'R6, Varnish e00035', x: (_r, res) => send(res, 404, '<p>x-404</p>'), shows: ['alt-ok', 'y-ok'], outcomes: ['alt', 'ok'] },
  { fault: '500', source: 'R6, Varnish e00035', x: (_r, res) => send(res, 500, '<p>x-500</p>'), shows: ['alt-ok', 'y-ok'], outcomes: ['alt', 'ok'] },
  { fault: 'slow (20 s, timeout 2.5 s)', source: 'R7, Tailor fallback-src', x: async (_r, res) => { await sleep(20_000); if (!res.destroyed) send(res, 200, '<p>x-late</p>'); }, shows: ['alt-ok', 'y-ok'], outcomes: ['alt', 'ok'] },
  { fault: 'cut mid-body', source: 'R7, partial failure', x: (_r, res) => { res.writeHead(200, { 'content-length': '100' }); res.write('<p>x-partial'); res.socket?.destroy(); }, shows: ['alt-ok', 'y-ok'], outcomes: ['alt', 'ok'] },
];

describe('fragment faults (expected: 200, the alt, never partial bytes; source per row)', () => {
  it.each(FRAGMENT_FAULTS)('falls back when a fragment is $fault (source: $source)', async ({ x, shows, outcomes }) => {
    const fragments: MockHandler = (request, res) => {
      if (request.url.pathname === '/fragments/x') return x(request, res);
      send(res, 200, request.url.pathname === '/fragments/alt' ? '<p>alt-ok</p>' : '<p>y-ok</p>');
    };
    stack = await startMockStack({ handlers: { templates: (_r, res) => send(res, 200, INCLUDE, ESI_HEADERS), fragments } });
    const page = await get(stack.url('/f'));
    expect(page.status).toBe(200);
    for (const text of shows) expect(page.body).toContain(text);
    expect(page.body).not.toMatch(/x-(404|500|late|partial)/);
    const event = await lastEvent('/f');
    expect((event.fragments as Array<{ outcome: string }>).map((f) => f.outcome)).toEqual(outcomes);
  });

  it('renders 2 of 5 fragments when 2 fail, 1 is slow and 2 succeed, within the page deadline (source: R7, Tail at Scale)', async () => {
    const template = ['ok1', 'e500', 'e404', 'slow', 'ok2'].map((name) => `<esi:include src="/fragments/${name}"/>`).join('');
    const fragments: MockHandler = async (request, res) => {
      const name = request.url.pathname.slice('/fragments/'.length);
      if (name === 'slow') await sleep(20_000);
      if (!res.destroyed) send(res, name === 'e500' ? 500 : name === 'e404' ? 404 : 200, `<p>${name}-body</p>`);
    };
    stack = await startMockStack({ handlers: { templates: (_r, res) => send(res, 200, `<main>${template}</main>`, ESI_HEADERS), fragments } });
    const started = performance.now();
    const page = await get(stack.url('/five'));
    // The fragment budget is 2.5 s; 20 s would mean it did not fire.
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(page.body).toBe('<main><p>ok1-body</p><p>ok2-body</p></main>');
    const event = await lastEvent('/five');
    expect((event.fragments as Array<{ outcome: string }>).map((f) => f.outcome)).toEqual(['ok', 'error', 'error', 'timeout', 'ok']);
  });
});

describe('template origin faults (source per case)', () => {
  it('collapses a cold-key stampede of 200 requests into one template fetch (source: R11, Fastly request collapsing, Varnish c00138)', async () => {
    stack = await startMockStack({ handlers: { fragments: segmentFragment, templates: async (_r, res) => { await sleep(150); send(res, 200, PAGE, ESI_HEADERS); } } });
    const pages = await Promise.all(Array.from({ length: 200 }, () => get(stack?.url('/stampede') ?? '')));
    expect(pages.every((page) => page.status === 200 && page.body.includes('page-body'))).toBe(true);
    expect(stack.origins.templates.count('/stampede')).toBe(1);
  });

  it('keeps serving the good copy when background revalidation gets a 503 (source: R10, Varnish b00063)', async () => {
    let now = 1_000_000;
    let healthy = true;
    const templates: MockHandler = (_r, res) =>
      healthy
        ? send(res, 200, '<main>good-copy<esi:include src="/fragments/v?vid=$(VISITOR)"/></main>', { ...ESI_HEADERS, 'surrogate-control': 'content="ESI/1.0", max-age=10, stale-while-revalidate=600' })
        : send(res, 503, 'origin broken', { 'cache-control': 'public, max-age=600' });
    // A per-visitor include keeps the assembled page out of the page cache, so every request reads the template tier.
    stack = await startMockStack({ handlers: { templates, fragments: segmentFragment }, clock: () => now });
    const cookie = await stack.visitorCookie('revalidator');
    expect((await get(stack.url('/reval'), { cookie })).body).toContain('good-copy');
    await stack.quiet();
    healthy = false;
    now += 60_000;
    const during = await get(stack.url('/reval'), { cookie });
    await stack.quiet();
    const after = await get(stack.url('/reval'), { cookie });
    expect([during.status, after.status]).toEqual([200, 200]);
    expect(during.body).toContain('good-copy');
    expect(after.body).toContain('good-copy');
    expect(stack.origins.templates.count('/reval')).toBeGreaterThanOrEqual(2);
    expect((await lastEvent('/reval')).template).toMatchObject({ cache: 'STALE' });
  });

  it('answers 503 with an uncached error page when the template origin is down and no copy exists (source: R9, contracts: failure policy)', async () => {
    let up = false;
    stack = await startMockStack({ handlers: { templates: (r, res) => (up ? send(res, 200, PAGE, ESI_HEADERS) : cut(r, res)), fragments: segmentFragment } });
    const down = await get(stack.url('/down'));
    expect(down.status).toBe(503);
    expect(down.headers['cache-control']).toMatch(/no-store/);
    expect((await lastEvent('/down')).status).toBe(503);
    up = true;
    const recovered = await get(stack.url('/down'));
    expect(recovered.status).toBe(200);
    expect(recovered.body).toContain('page-body');
  });

  it('serves the last good copy, marked STALE, when the template origin is down after its TTL expired (source: R9, Fastly stale matrix)', async () => {
    let now = 1_000_000;
    let up = true;
    const templates: MockHandler = (r, res) => (up ? send(res, 200, '<main>last-good</main>', ESI_HEADERS) : cut(r, res));
    stack = await startMockStack({ handlers: { templates }, clock: () => now });
    expect((await get(stack.url('/stale'))).body).toContain('last-good');
    await stack.quiet();
    up = false;
    now += 3_600_000;
    const page = await get(stack.url('/stale'));
    expect(page.status).toBe(200);
    expect(page.body).toContain('last-good');
    expect((await lastEvent('/stale')).template).toMatchObject({ cache: 'STALE' });
  });
});
