import { describe, expect, it } from 'vitest';
import { makeDeps, signedVid, type FakeDeps } from '../beacon/make-deps.ts';
import { planVisitor } from '../../../src/core/page/visitor-plan.ts';
import { recordPageView } from '../../../src/core/feedback/page-view-feedback.ts';
import type { RequestContext } from '../../../src/core/ports.ts';
import { asRequest } from '../../../src/core/http/edge-get.ts';
import { backendPort } from '../../../src/core/backend/backend-port.ts';

const VISITOR = 'u00042';

async function view(deps: FakeDeps, path: string, cookie: string, headers: Record<string, string> = {}): Promise<{ bodies: unknown[]; pending: Array<Promise<unknown>> }> {
  const bodies: unknown[] = [];
  deps.fetchBackend = backendPort(async (_backend, request) => {
    bodies.push(await asRequest(request).json());
    return { response: new Response(null, { status: 202 }), cache: 'PASS' };
  });
  const pending: Array<Promise<unknown>> = [];
  const context: RequestContext = { clientAddress: '192.0.2.7', requestId: 'req-page-1', waitUntil: (work) => void pending.push(work) };
  const request = new Request(`https://shop.example${path}`, { headers: { cookie, ...headers } });
  const plan = await planVisitor(request, deps, context);
  recordPageView({ path: plan.url.path, identity: plan.facts.identity, pseudonym: plan.pseudonym }, deps, context);
  await Promise.all(pending);
  return { bodies, pending };
}

describe('page views as profile events', () => {
  it.each([
    { path: '/category/running', expected: { type: 'view', category: 'running', item: null } },
    { path: '/product/shoes/sku-1017', expected: { type: 'view', category: 'shoes', item: 'sku-1017' } },
  ])('sends a view of $path for a consented known visitor', async ({ path, expected }) => {
    const { bodies } = await view(makeDeps(), path, `consent=personalization; vid=${await signedVid(VISITOR)}`);
    expect(bodies).toEqual([[{ eventId: 'v-req-page-1', ts: expect.any(String) as unknown, ...expected }]]);
  });

  it.each([
    { name: 'the home page', path: '/', cookie: 'consent=personalization', gpc: false },
    { name: 'a cart page', path: '/cart', cookie: 'consent=personalization', gpc: false },
    { name: 'no consent', path: '/category/running', cookie: '', gpc: false },
    { name: 'Sec-GPC', path: '/category/running', cookie: 'consent=personalization', gpc: true },
  ])('sends nothing for $name', async ({ path, cookie, gpc }) => {
    const headers: Record<string, string> = gpc ? { 'sec-gpc': '1' } : {};
    const vid = `vid=${await signedVid(VISITOR)}`;
    const { bodies, pending } = await view(makeDeps(), path, cookie === '' ? vid : `${cookie}; ${vid}`, headers);
    expect(bodies).toEqual([]);
    expect(pending).toEqual([]);
  });

  it('sends nothing for a visitor whose vid is minted on this very page', async () => {
    const { bodies } = await view(makeDeps(), '/category/running', 'consent=personalization');
    expect(bodies).toEqual([]);
  });
});
