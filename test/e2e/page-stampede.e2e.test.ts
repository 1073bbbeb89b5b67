/**
 * Cold stampedes on the assembled-page tier, through the Node host and the local origin: the first
 * request for a page key assembles it and the concurrent ones are served what it stored; pages that
 * belong to one visitor are never handed to another, and a stored copy's recommendations are ranked
 * for each visitor it serves.
 */
import { describe, expect, it } from 'vitest';
import { useLocalStack } from './use-local-stack.ts';
import { loadManifest } from '../../src/local-platform/manifest.ts';
import { signedVid } from '../../src/local-platform/signed-visitor.ts';
import { recommended } from './ranked-home-scenario.ts';

const stack = useLocalStack();
const manifest = loadManifest('fastly.toml');

async function stampede(path: string, headers: (i: number) => Promise<Record<string, string>>, n: number) {
  const before = stack.events().length;
  const pages = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const response = await fetch(stack.url(path), { headers: await headers(i) });
      return { status: response.status, html: await response.text(), debug: response.headers.get('x-personalization') ?? '' };
    }),
  );
  await stack.edge.settled();
  const events = stack.events().slice(before).filter((event) => String(event.path).startsWith(path.split('?')[0] ?? path));
  return { pages, events };
}

describe('cold stampede on one page', () => {
  it('fetches the template once and assembles the page once for 50 concurrent anonymous first requests', async () => {
    // A product page: its includes run on the stack's relaxed fragment budget (the category page's
    // recommendations carry their own 200 ms timeout, which a busy machine trips, and a page with a
    // failed include is rightly not stored, so there would be nothing to collapse onto).
    const path = '/product/running/sku-1001?stampede=anonymous';
    const fragmentsBefore = stack.origin.requests.count('fragments');
    const { pages, events } = await stampede(path, () => Promise.resolve({}), 50);
    expect(pages.map((p) => p.status)).toEqual(Array(50).fill(200));
    expect(new Set(pages.map((p) => p.html)).size).toBe(1);
    expect(stack.origin.requests.count('templates', path)).toBe(1);
    expect(events).toHaveLength(50);
    expect(events.filter((e) => e.pageCache === 'MISS')).toHaveLength(1);
    expect(events.filter((e) => e.pageCache === 'HIT')).toHaveLength(49);
    // One assembly's worth of fragment fetches: a second stampede on a warm key asks nothing more.
    const oneAssembly = stack.origin.requests.count('fragments') - fragmentsBefore;
    await stampede(path, () => Promise.resolve({}), 10);
    expect(stack.origin.requests.count('fragments') - fragmentsBefore).toBe(oneAssembly);
  });

  it('never serves one visitor a page assembled for another, however many arrive at once: a stored copy is ranked for each', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `u${String(100 + i).padStart(5, '0')}`);
    const cookie = async (i: number) => ({ cookie: `consent=personalization; vid=${await signedVid(manifest, ids[i] ?? '')}` });
    const { pages, events } = await stampede('/?stampede=visitors', cookie, ids.length);
    expect(pages.map((p) => p.status)).toEqual(Array(ids.length).fill(200));
    for (const [i, page] of pages.entries()) {
      for (const other of ids.filter((_, j) => j !== i)) expect(page.html).not.toContain(other);
    }
    // A copy served from the cache has its recommendations ranked for its visitor (page-holes.ts):
    // the same as that visitor's own assembly of the page (a URL of its own, so a miss).
    expect(events.map((e) => e.pageCache).every((state) => state === 'HIT' || state === 'MISS')).toBe(true);
    for (const [i, page] of pages.entries()) {
      const own = await (await fetch(stack.url(`/?stampede=own-${i}`), { headers: await cookie(i) })).text();
      expect(recommended(page.html).length).toBeGreaterThan(0);
      expect(recommended(page.html)).toEqual(recommended(own));
    }
  });
});
