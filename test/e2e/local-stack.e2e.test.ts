/**
 * The whole local stack end to end: the real local origin (three HTTP servers) and the Node host
 * configured from fastly.toml, over real sockets.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { useLocalStack } from './use-local-stack.ts';
import { loadManifest } from '../../src/local-platform/manifest.ts';
import { signedVid } from '../../src/local-platform/signed-visitor.ts';

const stack = useLocalStack();
const manifest = loadManifest('fastly.toml');
const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

beforeEach(() => {
  stack.origin.faults.clear();
});

async function asVisitor(id: string, path = '/', extra: Record<string, string> = {}): Promise<Response> {
  const vid = await signedVid(manifest, id);
  return fetch(stack.url(path), { headers: { cookie: `consent=personalization,analytics; vid=${vid}`, ...extra } });
}

function decisionOf(response: Response): Record<string, string> {
  const header = response.headers.get('x-personalization') ?? '';
  return Object.fromEntries(header.split('; ').map((part) => part.split('=') as [string, string]));
}

describe('local stack', () => {
  it('answers /__health with 200 JSON carrying the build version', async () => {
    const response = await fetch(stack.url('/__health'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({ status: 'ok', version, runtime: 'node' });
  });

  it('serves the demo home page from the local origin with every ESI tag processed', async () => {
    const response = await fetch(stack.url('/'));
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain('</html>');
    expect(html).not.toMatch(/<esi:|<!--esi|\$\(SEGMENT\)/);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('surrogate-control')).toBeNull();
    expect(response.headers.get('server-timing')).toMatch(/profile;dur=.*template;dur=.*fragments;dur=.*total;dur=/);
  });

  it('reaches the template origin once for a cacheable asset requested twice', async () => {
    const path = '/static/site.css?e2e=twice';
    const first = await fetch(stack.url(path));
    const second = await fetch(stack.url(path));
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await second.text()).toBe(await first.text());
    expect(stack.origin.requests.count('templates', path)).toBe(1);
  });

  it('reaches the template origin every time for a private page', async () => {
    const path = '/account?e2e=private';
    await (await fetch(stack.url(path))).text();
    await (await fetch(stack.url(path))).text();
    expect(stack.origin.requests.count('templates', path)).toBe(2);
  });

  it('collapses 50 concurrent requests for a cold key into one origin request', async () => {
    const path = '/category/jackets?e2e=stampede';
    const responses = await Promise.all(Array.from({ length: 50 }, () => fetch(stack.url(path))));
    const bodies = await Promise.all(responses.map((r) => r.text()));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(bodies.every((body) => body.includes('</html>'))).toBe(true);
    expect(stack.origin.requests.count('templates', path)).toBe(1);
  });

  it('gives different demo visitors different segments', async () => {
    const vip = decisionOf(await asVisitor('demo-vip'));
    const runner = decisionOf(await asVisitor('demo-runner'));
    expect(vip.segment).toBe('vip');
    expect(runner.segment).toBe('runner');
    expect(vip.consent).toBe('granted');
  });

  it('mints a signed vid cookie on the first consented page view only', async () => {
    const first = await fetch(stack.url('/'), { headers: { cookie: 'consent=personalization' } });
    const setCookie = first.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^vid=[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{43}; /);
    expect(setCookie).toContain('HttpOnly');
    const anonymous = await fetch(stack.url('/'));
    expect(anonymous.headers.get('set-cookie')).toBeNull();
  });

  it('ignores spoofed platform and segment headers', async () => {
    const plain = decisionOf(await fetch(stack.url('/category/running')));
    const spoofed = decisionOf(
      await fetch(stack.url('/category/running'), {
        headers: { 'x-segment': 'vip', 'fastly-client-ip': '203.0.113.9', 'x-forwarded-for': '198.51.100.7', 'x-geo-country': 'US' },
      }),
    );
    expect(spoofed).toEqual({ ...plain, cache: spoofed.cache });
  });

  it.each([
    { name: 'Sec-GPC: 1 despite a consent cookie', gpc: true, consent: '; consent=personalization' },
    { name: 'no consent cookie', gpc: false, consent: '' },
  ])('sends no profile request with $name', async ({ gpc, consent }) => {
    stack.origin.requests.clear('profiles');
    const vid = await signedVid(manifest, 'demo-vip');
    const headers: Record<string, string> = { cookie: `vid=${vid}${consent}` };
    if (gpc) headers['sec-gpc'] = '1';
    const response = await fetch(stack.url('/'), { headers });
    await response.text();
    expect(response.status).toBe(200);
    expect(decisionOf(response).segment).not.toBe('vip');
    expect(stack.origin.requests.count('profiles')).toBe(0);
  });

  it('renders the page within the budget when the profile store hangs', async () => {
    stack.origin.faults.set('profiles', { kind: 'hang' });
    const started = performance.now();
    const response = await asVisitor('u00042', '/category/outdoor');
    const html = await response.text();
    const elapsed = performance.now() - started;
    await stack.edge.settled();
    expect(response.status).toBe(200);
    expect(html).toContain('</html>');
    // The store never answers; a finite time proves the budget (2.5 s in the test stack) fired.
    expect(elapsed).toBeLessThan(12_000);
    const event = stack.events().at(-1);
    expect(event?.profile).toMatchObject({ outcome: 'timeout' });
  });

  it('logs one decision event per page request in the Viceroy line format', async () => {
    const before = stack.events().length;
    await (await fetch(stack.url('/product/running/sku-1001'))).text();
    await stack.edge.settled();
    const events = stack.events().slice(before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ v: 2, path: '/product/running/sku-1001', status: expect.any(Number) as number });
  });
});
