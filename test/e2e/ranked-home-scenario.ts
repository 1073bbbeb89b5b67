/**
 * The demo's home page stored with holes, on either host: one visitor's view stores `/` (a visitor
 * with signals: without, the page is keyed apart and stored as it is), then a
 * visitor who browsed trail gear is served that copy with their own recommendations (the demo
 * catalog puts sku-1014 first for them), and the first visitor's copy did not lead with it.
 * Experiments are off in the stacks that run it, so both visitors share one key (same segment).
 */
import { loadManifest } from '../../src/local-platform/manifest.ts';
import { signedVid } from '../../src/local-platform/signed-visitor.ts';

export const NO_EXPERIMENTS = '[]';

interface Host {
  url(path: string): string;
  settled(): Promise<void>;
}

/** The items of the ranked recommendations block, in order. */
export function recommended(html: string): string[] {
  const block = /<div class="recs-block recs-block--ranked"[\s\S]*?<\/ul><\/div>/.exec(html)?.[0] ?? '';
  return [...block.matchAll(/data-item=["']?(sku-\d+)/g)].map((match) => match[1] ?? '');
}

/** Browses `paths` like a browser, keeping the cookies the edge sets; the last page's cache state and items. */
async function browse(host: Host, cookie: string, paths: string[]): Promise<{ cache: string; items: string[] }> {
  const jar = new Map(cookie.split('; ').map((pair) => [pair.split('=')[0] ?? '', pair] as const));
  let last = { cache: '', items: [] as string[] };
  for (const path of paths) {
    const response = await fetch(host.url(path), { headers: { cookie: [...jar.values()].join('; ') } });
    const html = await response.text();
    await host.settled();
    last = { cache: /cache=(\w+)/.exec(response.headers.get('x-personalization') ?? '')?.[1] ?? '', items: recommended(html) };
    for (const set of response.headers.getSetCookie()) jar.set(set.split('=')[0] ?? '', set.split(';')[0] ?? '');
  }
  return last;
}

export async function rankedHome(host: Host, manifestPath: string, path: string): Promise<{ stored: { cache: string; items: string[] }; served: { cache: string; items: string[] } }> {
  const manifest = loadManifest(manifestPath);
  const cookieOf = async (id: string): Promise<string> => `consent=personalization; vid=${await signedVid(manifest, id)}`;
  // Shoes leave the segment as it is (no rule reads them) and give the first visitor signals: a copy with holes.
  const stored = await browse(host, await cookieOf('e2e-donut-first'), ['/category/shoes', path]);
  const served = await browse(host, await cookieOf('e2e-donut-trail'), ['/category/outdoor', '/product/outdoor/sku-1009', path]);
  return { stored, served };
}
