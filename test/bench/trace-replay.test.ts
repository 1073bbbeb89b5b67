/**
 * The P6 replay's own checks on a short trace: it goes through the real handler, sends no
 * per-visitor request to the fragments origin, and finds every consented view ranked for that
 * visitor; the per-visitor baseline counts more fetches than the service over the same requests.
 */
import { describe, expect, it } from 'vitest';
import { replayTrace } from '../../bench/trace-replay.ts';
import { trafficUrls } from '../../bench/trace-traffic.ts';
import { productBySku } from '../../origin/data/catalog.ts';

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
