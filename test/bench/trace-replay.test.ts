/**
 * The P6 replay's own checks on a short trace: it goes through the real handler, sends no
 * per-visitor request to the fragments origin, and finds every consented view ranked for that
 * visitor; the per-visitor baseline counts more fetches than the service over the same requests.
 */
import { describe, expect, it } from 'vitest';
import { replayTrace } from '../../bench/trace-replay.ts';
import { trafficUrls } from '../../bench/trace-traffic.ts';
import { productBySku } from '../../origin/data/catalog.ts';
import { loadManifest } from '../../src/local-platform/manifest.ts';
import { traceEdge, type TraceEdge } from '../../bench/trace-edge.ts';

function edgeOfTheTrace(): TraceEdge {
  const manifest = loadManifest('fastly.toml');
  return traceEdge(manifest, manifest.configStores.get('personalization_config')?.get('settings') ?? '{}');
}

async function view(edge: TraceEdge, path: string): Promise<string> {
  const pending: Array<Promise<unknown>> = [];
  const request = new Request(`https://www.example.com${path}`, { headers: { cookie: 'consent=personalization' } });
  const response = await edge.handler(request, { clientAddress: '10.0.0.1', requestId: 'r', waitUntil: (work) => pending.push(work) });
  expect(response.status).toBe(200);
  const body = await response.text();
  await Promise.allSettled(pending);
  return body;
}

describe('the P6 trace replay', () => {
  it('replays a short trace with no per-visitor origin fetch and every consented view ranked for its visitor', async () => {
    const result = await replayTrace(60, 2_000);
    expect(result.requests).toBeGreaterThan(60);
    expect(result.edge.perVisitorFragments).toBe(0);
    expect(result.edge.candidates).toBeGreaterThan(0);
    expect(result.withSignals).toBeGreaterThan(0);
    expect(result.adjustedAsExpected).toBe(result.withSignals);
    expect(result.mismatches).toEqual([]);
    expect(result.perVisitorKeyed).toBeGreaterThan(result.edge.templates + result.edge.candidates + result.edge.otherFragments);
  }, 120_000);

  it('keeps a template an hour at the edge, then serves the old copy while one counted request revalidates it', async () => {
    const edge = edgeOfTheTrace();
    await view(edge, '/product/running/sku-1001');
    expect(edge.counts.templates).toBe(1);
    edge.setNow(3_599_000);
    await view(edge, '/product/running/sku-1001');
    await edge.idle();
    expect(edge.counts.templates).toBe(1);
    edge.setNow(3_601_000);
    await view(edge, '/product/running/sku-1001');
    await edge.idle();
    expect(edge.counts.templates).toBe(2);
  }, 60_000);

  it('fetches the new candidate list after a publication purges the old one, and not before', async () => {
    const edge = edgeOfTheTrace();
    expect(await view(edge, '/')).toContain('data-generation="0"');
    edge.setNow(60_000);
    expect(await view(edge, '/')).toContain('data-generation="0"');
    expect(edge.counts.candidates).toBe(1);
    await edge.publish(edge.candidates.current().lists);
    expect(await view(edge, '/')).toContain('data-generation="1"');
    expect(edge.counts.candidates).toBe(2);
  }, 60_000);

  it('draws its URLs from pages the demo store serves', () => {
    const urls = trafficUrls(2_000);
    expect(new Set(urls).size).toBe(2_000);
    for (const url of urls) {
      const path = url.split('?')[0] ?? '';
      const sku = /^\/product\/([a-z]+)\/(sku-\d+)$/.exec(path);
      if (sku) expect(productBySku(sku[2] ?? '')?.category).toBe(sku[1]);
      else expect(path).toMatch(/^\/(?:category\/(?:running|outdoor|shoes|jackets))?$/);
    }
  });
});
