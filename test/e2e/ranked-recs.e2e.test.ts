/**
 * Recommendations precomputed per segment, shared, and adjusted per visitor at the edge, through
 * the real stack: what a visitor browses this session reorders the next page's recommendations,
 * and no request about that visitor's recommendations reaches the origin.
 */
import { describe, expect, it } from 'vitest';
import { useLocalStack } from './use-local-stack.ts';
import { loadManifest } from '../../src/local-platform/manifest.ts';
import { signedVid } from '../../src/local-platform/signed-visitor.ts';
import { productBySku, productsIn } from '../../origin/data/catalog.ts';

const manifest = loadManifest('fastly.toml');

/** The demo settings with generous budgets: this test is about ranking, not about timeouts. */
const RELAXED = JSON.stringify({
  consentMode: 'opt-in', profileTimeoutMs: 3_000, fragmentTimeoutMs: 3_000, pageDeadlineMs: 6_000, maxIncludes: 16,
  includeHosts: ['www.example.com'], routes: [{ prefix: '/fragments/', backend: 'fragments' }], debugHeaders: true,
});
const stack = useLocalStack({ config: { settings: RELAXED } });

/** The items of the ranked recommendations block, in order. */
function recommended(html: string): string[] {
  const block = /<div class="recs-block recs-block--ranked"[\s\S]*?<\/ul><\/div>/.exec(html)?.[0] ?? '';
  return [...block.matchAll(/data-item=["']?(sku-\d+)/g)].map((match) => match[1] ?? '');
}

const categoryOf = (sku: string): string => productBySku(sku)?.category ?? '';

/** Browses `paths` in order like a browser, keeping the cookies the edge sets; returns the last page. */
async function browse(cookie: string, paths: string[]): Promise<string> {
  const jar = new Map(cookie.split('; ').map((pair) => [pair.split('=')[0] ?? '', pair] as const));
  let html = '';
  for (const path of paths) {
    const response = await fetch(stack.url(path), { headers: { cookie: [...jar.values()].join('; ') } });
    html = await response.text();
    await stack.edge.settled();
    for (const set of response.headers.getSetCookie()) {
      const pair = set.split(';')[0] ?? '';
      jar.set(pair.split('=')[0] ?? '', pair);
    }
  }
  return html;
}

async function sendBeacon(cookie: string, body: Record<string, unknown>): Promise<number> {
  const response = await fetch(stack.url('/__beacon'), { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await response.arrayBuffer();
  await stack.edge.settled();
  return response.status;
}

describe('ranked recommendations', () => {
  it('shows a visitor who browsed trail gear trail gear first on the next page, without a per-visitor origin request', async () => {
    const cookie = `consent=personalization; vid=${await signedVid(manifest, 'demo-runner')}`;
    const before = await browse(cookie, ['/']);
    // A runner's profile: running leads before any browsing.
    expect(categoryOf(recommended(before)[0] ?? '')).toBe('running');
    stack.origin.requests.clear();
    const after = await browse(cookie, ['/category/outdoor', '/product/outdoor/sku-1009', '/']);
    const items = recommended(after);
    // 4, or 6 in the recs-layout experiment's grid variant.
    expect(items.length).toBeGreaterThanOrEqual(4);
    expect(categoryOf(items[0] ?? '')).toBe('outdoor');
    const fragments = stack.origin.requests.all('fragments').map((request) => request.path);
    expect(fragments.filter((path) => path.includes('vid=') || path.startsWith('/fragments/recs/visitor'))).toEqual([]);
    // The runner segment's candidate list was already cached at the edge: fetched at most once.
    expect(fragments.filter((path) => path.startsWith('/fragments/recs/candidates')).length).toBeLessThanOrEqual(1);
  });

  it('never recommends an item the visitor bought, even after it left their recently viewed items, without a per-visitor origin request', async () => {
    const cookie = `consent=personalization; vid=${await signedVid(manifest, 'e2e-buyer')}`;
    const first = await browse(cookie, ['/category/outdoor']);
    const bought = recommended(first)[0] ?? '';
    expect(categoryOf(bought)).toBe('outdoor');
    expect(await sendBeacon(cookie, { type: 'purchase', slot: 'recs', item: bought, page: '/category/outdoor', value: 49.5 })).toBe(204);
    stack.origin.requests.clear();
    // Eleven other outdoor products viewed push the purchase out of the store's 10 recent items; a
    // click then makes the edge read the profile again.
    const others = productsIn('outdoor').filter((product) => product.sku !== bought).slice(0, 11);
    await browse(cookie, others.map((product) => `/product/outdoor/${product.sku}`));
    expect(await sendBeacon(cookie, { type: 'click', slot: 'recs', item: others[0]?.sku, page: '/' })).toBe(204);
    const store = await (await fetch(new URL('/profiles/e2e-buyer', stack.origin.urls.profiles))).json() as { recentItems: string[]; purchased: string[] };
    expect(store.purchased).toContain(bought);
    expect(store.recentItems).not.toContain(bought);
    for (const path of ['/category/outdoor', '/', `/product/outdoor/${others[1]?.sku ?? ''}`]) {
      const items = recommended(await browse(cookie, [path]));
      expect(items.length).toBeGreaterThanOrEqual(4);
      expect(items).not.toContain(bought);
    }
    const fragments = stack.origin.requests.all('fragments').map((request) => request.path);
    expect(fragments.filter((path) => path.includes('vid=') || path.includes('e2e-buyer') || path.startsWith('/fragments/recs/visitor'))).toEqual([]);
  });

  it('never recommends the product a page shows', async () => {
    const cookie = `consent=personalization; vid=${await signedVid(manifest, 'demo-outdoor')}`;
    for (const sku of ['sku-1009', 'sku-1011', 'sku-1001']) {
      const html = await browse(cookie, [`/product/${categoryOf(sku)}/${sku}`]);
      expect(recommended(html).length).toBeGreaterThan(0);
      expect(recommended(html)).not.toContain(sku);
    }
  });

  it('gives anonymous visitors of a segment one shared page in the segment order', async () => {
    const first = await browse('', ['/?rr=anon']);
    const second = await browse('', ['/?rr=anon']);
    expect(recommended(first)).toEqual(recommended(second));
    expect(stack.origin.requests.count('templates', '/?rr=anon')).toBe(1);
  });
});
