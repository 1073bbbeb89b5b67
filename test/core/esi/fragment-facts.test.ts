/**
 * A fragment's caching facts (TTL and surrogate keys) are worked out only when storing the page reads them
 * (src/core/esi/fragment-facts.ts): a page that is not stored reads none, and a stored page gets the same TTL and
 * keys as when they were worked out at once.
 */
import { describe, expect, it, vi } from 'vitest';
import { assemble, fakeFetcher, ok, VARS } from './esi-test-kit.ts';
import { CachedFragment } from '../../../src/core/esi/fragment-facts.ts';
import { freshnessLeftMs } from '../../../src/core/http/cache-ttl.ts';
import { storedSurrogateKeys } from '../../../src/core/http/storage-policy.ts';
import { finishPage, type Finishing } from '../../../src/core/page/page-finish.ts';
import type { AssemblyReport } from '../../../src/core/esi/assembly-report.ts';
import type { FragmentResult } from '../../../src/core/esi/fragment-fetcher.ts';

/** `result` whose TTL and keys count their reads. */
function counted(made: FragmentResult, reads: { count: number }): FragmentResult {
  if (!made.ok) return made;
  const result = made;
  return {
    ok: true,
    body: result.body,
    cache: result.cache,
    get ttlMs() {
      reads.count++;
      return result.ttlMs;
    },
    get surrogateKeys() {
      reads.count++;
      return result.surrogateKeys;
    },
  };
}

describe('CachedFragment', () => {
  it('reads its headers for the TTL and keys only when asked, once, with the values read at once', () => {
    const headers = new Headers({ 'cache-control': 'max-age=60', age: '10', 'surrogate-key': 'recs vip' });
    const get = vi.spyOn(headers, 'get');
    const result = new CachedFragment(new Uint8Array([0x52]), 'HIT', headers, 'fragments');
    expect(get).not.toHaveBeenCalled();
    expect([result.ttlMs, result.surrogateKeys]).toEqual([freshnessLeftMs(headers), storedSurrogateKeys('fragments', headers)]);
    expect(result.ttlMs).toBe(50_000);
    const reads = get.mock.calls.length;
    expect([result.ttlMs, result.surrogateKeys]).toEqual([50_000, ['recs', 'vip', 'edge-fragments']]);
    expect(get).toHaveBeenCalledTimes(reads);
  });
});

describe("the page's summary", () => {
  it('reads no fragment facts until the report is asked for them, then the smallest TTL and the keys once each', async () => {
    const reads = { count: 0 };
    const fetcher = fakeFetcher({ '/fragments/a': counted(ok('A', 30_000, ['k1', 'shared']), reads), '/fragments/b': counted(ok('B', 10_000, ['shared', 'k2']), reads) });
    const { html, report } = await assemble('<esi:include src="/fragments/a"/><esi:include src="/fragments/b"/>', fetcher);
    expect(html).toBe('AB');
    expect(reads.count).toBe(0);
    expect([report.minTtlMs, report.surrogateKeys]).toEqual([10_000, ['k1', 'shared', 'k2']]);
    expect([report.minTtlMs, report.surrogateKeys]).toEqual([10_000, ['k1', 'shared', 'k2']]);
    expect(reads.count).toBe(4);
  });
});

describe('finishPage', () => {
  const bytes = new Uint8Array([0x3c]);

  function finishing(report: AssemblyReport, store: ReturnType<typeof vi.fn>): Finishing {
    return {
      run: { finish: () => undefined },
      vars: VARS,
      response: new Response('', { headers: { 'surrogate-key': 'home' } }),
      pageCache: { variationFor: () => ['v'], store } as unknown as Finishing['pageCache'],
      fill: null,
      report: Promise.resolve(report),
      experiments: { esiOptions: {}, outcome: () => ({ exposed: [], decision: null }) },
      recorder: { copy: Promise.resolve(bytes) },
      templateTtl: 120_000,
      contentType: 'text/html',
    };
  }

  function reportOf(perVisitor: boolean, reads: { count: number }): AssemblyReport {
    return {
      fragments: [],
      perVisitor,
      get minTtlMs() {
        reads.count++;
        return 30_000;
      },
      get surrogateKeys() {
        reads.count++;
        return ['frag'];
      },
      fetches: 1,
      variables: [],
      elementsDropped: 0,
      outputCapped: 0,
      decision: null,
    };
  }

  it('reads no caching fact of a page a part made per-visitor, and stores nothing', async () => {
    const reads = { count: 0 };
    const store = vi.fn();
    await finishPage(finishing(reportOf(true, reads), store));
    expect(store).not.toHaveBeenCalled();
    expect(reads.count).toBe(0);
  });

  it("stores a shareable page for its parts' smallest TTL under the union of the keys", async () => {
    const store = vi.fn();
    await finishPage(finishing(reportOf(false, { count: 0 }), store));
    expect(store).toHaveBeenCalledTimes(1);
    const [, , page, ttlMs, keys] = store.mock.calls[0] as [unknown, unknown, { body: Uint8Array }, number, string[]];
    expect({ body: page.body, ttlMs, keys }).toEqual({ body: bytes, ttlMs: 30_000, keys: ['home', 'edge-templates', 'frag'] });
  });
});
