/**
 * A fragment's caching facts (TTL and surrogate keys) are worked out only when storing the page reads them
 * (src/core/esi/fragment-facts.ts): a page that is not stored reads none, and a stored page gets the same TTL and
 * keys as when they were worked out at once.
 */
import { describe, expect, it, vi } from 'vitest';
import { assemble, fakeFetcher, ok, VARS } from './esi-test-kit.ts';
import { DOC, signals } from '../recs/recs-fixtures.ts';
import { CachedFragment, FragmentFacts } from '../../../src/core/esi/fragment-facts.ts';
import { freshnessLeftMs } from '../../../src/core/http/cache-ttl.ts';
import { storedSurrogateKeys } from '../../../src/core/http/storage-policy.ts';
import { finishPage, type Finishing } from '../../../src/core/page/page-finish.ts';
import type { AssemblyReport } from '../../../src/core/esi/assembly-report.ts';

describe('CachedFragment', () => {
  it('reads its headers for the TTL and keys only when asked, once, with the values read at once', () => {
    const headers = new Headers({ 'cache-control': 'max-age=60', age: '10', 'surrogate-key': 'recs vip' });
    const get = vi.spyOn(headers, 'get');
    const result = new CachedFragment(new Uint8Array([0x52]), 'HIT', new FragmentFacts(headers, 'fragments'));
    expect(get).not.toHaveBeenCalled();
    expect([result.ttlMs, result.surrogateKeys]).toEqual([freshnessLeftMs(headers), storedSurrogateKeys('fragments', headers)]);
    expect(result.ttlMs).toBe(50_000);
    const reads = get.mock.calls.length;
    expect([result.ttlMs, result.surrogateKeys]).toEqual([50_000, ['recs', 'vip', 'edge-fragments']]);
    expect(get).toHaveBeenCalledTimes(reads);
  });
});

describe("the page's summary", () => {
  const cached = (body: string, headers: Record<string, string>) => {
    const read = new Headers(headers);
    return { result: new CachedFragment(new TextEncoder().encode(body), 'MISS', new FragmentFacts(read, 'fragments')), get: vi.spyOn(read, 'get') };
  };

  it("reads no fragment's headers until the report is asked for its facts, then the smallest TTL and the keys in order, once", async () => {
    const a = cached('A', { 'cache-control': 'max-age=30', 'surrogate-key': 'k1 shared' });
    const b = cached('B', { 'cache-control': 'max-age=10', 'surrogate-key': 'shared k2' });
    const fetcher = fakeFetcher({ '/fragments/a': a.result, '/fragments/b': b.result, '/fragments/c': ok('C', 20_000, ['k3', 'k1']) });
    const { html, report } = await assemble('<esi:include src="/fragments/a"/><esi:include src="/fragments/c"/><esi:include src="/fragments/b"/>', fetcher);
    expect(html).toBe('ACB');
    expect([a.get, b.get].map((get) => get.mock.calls.length)).toEqual([0, 0]);
    const facts = [report.minTtlMs, report.surrogateKeys];
    expect(facts).toEqual([10_000, ['k1', 'shared', 'edge-fragments', 'k3', 'k2']]);
    const reads = [a.get, b.get].map((get) => get.mock.calls.length);
    expect([report.minTtlMs, report.surrogateKeys]).toEqual(facts);
    expect([a.get, b.get].map((get) => get.mock.calls.length)).toEqual(reads);
  });

  it('takes a fallback for a transient failure as uncacheable, keeping its keys', async () => {
    const a = cached('A', { 'cache-control': 'max-age=30', 'surrogate-key': 'alt' });
    const fetcher = fakeFetcher({ '/fragments/down': { ok: false, reason: 'error', cache: 'MISS' }, '/fragments/alt': a.result });
    const { html, report } = await assemble('<esi:include src="/fragments/down" alt="/fragments/alt"/>', fetcher);
    expect(html).toBe('A');
    expect([report.minTtlMs, report.surrogateKeys]).toEqual([null, ['alt', 'edge-fragments']]);
  });
});

describe("a ranked include's candidate document inside an <esi:try>", () => {
  const SRC = '/fragments/recs/candidates?seg=runner';
  const template = `<esi:try><esi:attempt><esi:include src="${SRC}" rank="visitor" count="2"/></esi:attempt><esi:except>fallback</esi:except></esi:try>`;
  const candidates = () => {
    const read = new Headers({ 'cache-control': 'max-age=40', 'surrogate-key': 'recs-candidates' });
    return { result: new CachedFragment(new TextEncoder().encode(JSON.stringify(DOC)), 'HIT', new FragmentFacts(read, 'fragments')), get: vi.spyOn(read, 'get') };
  };

  it("gives a page ranked for the visitor (stored with a hole) its candidate document's TTL and keys", async () => {
    const doc = candidates();
    const { html, report } = await assemble(`<p>a</p>${template}`, fakeFetcher({ [SRC]: doc.result }), { vars: { signals: signals({ sessionCategories: ['outdoor'] }) } });
    expect(html).toContain('<li data-item="o1">o1</li>');
    expect(report.perVisitor).toBe(false);
    expect(doc.get).not.toHaveBeenCalled();
    expect([report.minTtlMs, report.surrogateKeys]).toEqual([40_000, ['recs-candidates', 'edge-fragments']]);
  });

  it('gives a shareable page its TTL and keys when read, with the other parts in order', async () => {
    const doc = candidates();
    const fetcher = fakeFetcher({ [SRC]: doc.result, '/fragments/c': ok('C', 20_000, ['k3']) });
    const { report } = await assemble(`${template}<esi:include src="/fragments/c"/>`, fetcher, { vars: { signals: null } });
    expect(report.perVisitor).toBe(false);
    expect(doc.get).not.toHaveBeenCalled();
    expect([report.minTtlMs, report.surrogateKeys]).toEqual([20_000, ['recs-candidates', 'edge-fragments', 'k3']]);
  });

  it("keeps the except's keys and TTL when the attempt's include is refused (not transient)", async () => {
    const doc = candidates();
    const fallback = `<esi:try><esi:attempt><esi:include src="https://elsewhere.example/x"/></esi:attempt><esi:except><esi:include src="${SRC}" rank="visitor" count="2"/></esi:except></esi:try>`;
    const fetcher = fakeFetcher({ [SRC]: doc.result });
    const { html, report } = await assemble(fallback, fetcher, { vars: { signals: null } });
    expect(html).toContain('<ul class="recs">');
    expect([report.minTtlMs, report.surrogateKeys]).toEqual([40_000, ['recs-candidates', 'edge-fragments']]);
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
      recorder: { copy: Promise.resolve(bytes), holes: [] },
      templateTtl: 120_000,
      contentType: 'text/html',
    };
  }

  function reportOf(perVisitor: boolean, reads: { count: number }, keys: string[] = ['frag']): AssemblyReport {
    return {
      fragments: [],
      perVisitor,
      get minTtlMs() {
        reads.count++;
        return 30_000;
      },
      get surrogateKeys() {
        reads.count++;
        return keys;
      },
      fetches: 1,
      get variables() {
        reads.count++;
        return [];
      },
      elementsDropped: 0,
      outputCapped: 0,
      decision: null,
    };
  }

  it('reads no caching fact and no variable list of a page a part made per-visitor, and stores nothing', async () => {
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
    expect({ body: page.body, ttlMs, keys }).toEqual({ body: bytes, ttlMs: 30_000, keys: ['edge-pages', 'home', 'edge-templates', 'frag'] });
  });

  it('stores each key once, the pages\' tier key, then the template\'s, when the parts repeat them', async () => {
    const store = vi.fn();
    await finishPage(finishing(reportOf(false, { count: 0 }, ['frag', 'home', 'edge-templates', 'k', 'frag']), store));
    const keys = (store.mock.calls[0] as unknown[])[4];
    expect(keys).toEqual(['edge-pages', 'home', 'edge-templates', 'frag', 'k']);
  });
});
