/**
 * An `<esi:try>` whose attempt failed passes its except branch's caching facts on unread, as every other
 * joined part does (folded-facts.ts `instead`): no fragment's headers are read until the page is
 * stored, and then the page gets the TTL and surrogate keys it got when they were read at once: the
 * smallest TTL of the branch, the attempt it replaced and the other parts; the branch's keys, not the
 * attempt's, in the order first seen. The attempt fails on a refused include, which leaves the page
 * storable (a failed fetch makes it uncacheable whichever branch is shown).
 */
import { describe, expect, it, vi } from 'vitest';
import { assemble, fakeFetcher, ok } from './esi-test-kit.ts';
import { CachedFragment, FragmentFacts } from '../../../src/core/esi/fragment-facts.ts';

function cached(body: string, headers: Record<string, string>) {
  const read = new Headers(headers);
  return { result: new CachedFragment(new TextEncoder().encode(body), 'MISS', new FragmentFacts(read, 'fragments')), get: vi.spyOn(read, 'get') };
}

const TEMPLATE =
  '<esi:include src="/fragments/head"/>' +
  '<esi:try><esi:attempt><esi:include src="/fragments/tried"/><esi:include src="https://elsewhere.example/x"/></esi:attempt>' +
  '<esi:except><esi:include src="/fragments/b"/>|<esi:include src="/fragments/c"/></esi:except></esi:try>' +
  '<esi:include src="/fragments/tail"/>';

describe("an <esi:try>'s except branch", () => {
  function page(triedTtl: string) {
    const tried = cached('T', { 'cache-control': `max-age=${triedTtl}`, 'surrogate-key': 'tried-only' });
    const b = cached('B', { 'cache-control': 'max-age=30', 'surrogate-key': 'b1 shared' });
    const c = cached('C', { 'cache-control': 'max-age=25', 'surrogate-key': 'shared c1 h' });
    const fetcher = fakeFetcher({
      '/fragments/head': ok('H', 40_000, ['h']),
      '/fragments/tried': tried.result,
      '/fragments/b': b.result,
      '/fragments/c': c.result,
      '/fragments/tail': ok('Z', 35_000, ['z', 'b1']),
    });
    return { fetcher, gets: [tried.get, b.get, c.get] };
  }

  it("reads none of the branch's or the attempt's headers until the page's facts are asked for", async () => {
    const { fetcher, gets } = page('50');
    const { html, report } = await assemble(TEMPLATE, fetcher);
    expect(html).toBe('HB|CZ');
    expect(gets.map((get) => get.mock.calls.length)).toEqual([0, 0, 0]);
    expect(report.perVisitor).toBe(false);
    expect(report.minTtlMs).toBe(25_000);
  });

  it("gives the stored page the branch's keys in order and the smallest TTL, the attempt's counted", async () => {
    const { fetcher } = page('50');
    const { report } = await assemble(TEMPLATE, fetcher);
    const keys = ['h', 'b1', 'shared', 'edge-fragments', 'c1', 'z'];
    expect([report.minTtlMs, report.surrogateKeys]).toEqual([25_000, keys]);
    // The attempt's own part, fresher for less, sets the page's TTL; its keys stay out.
    const shorter = await assemble(TEMPLATE, page('5').fetcher);
    expect([shorter.report.minTtlMs, shorter.report.surrogateKeys]).toEqual([5_000, keys]);
  });
});
