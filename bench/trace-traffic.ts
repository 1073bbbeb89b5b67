/**
 * The synthetic traffic of the P6 trace: the demo store's pages under a Zipf(s = 1) popularity,
 * and visitors with a consent state, a region, a device, a locale and, for half the consented
 * ones, a stored profile (affinities, recently viewed and purchased items). Seeded: every run
 * replays the same trace.
 */
import { CATEGORIES, PRODUCTS } from '../origin/data/catalog.ts';
import type { ServiceProfile } from '../origin/profiles/service-profile.ts';

export type Consent = 'granted' | 'denied' | 'gpc';
export type Device = 'mobile' | 'desktop' | 'tablet' | 'bot';

export interface TraceVisitor {
  index: number;
  region: string;
  consent: Consent;
  device: Device;
  locale: string;
  profile: ServiceProfile | null;
}

/**
 * `count` URLs of the demo store, most popular first: the home page, the category pages, every
 * product by popularity, then the long tail of listing pages and product size variants (the
 * origin serves the same page for them; each is its own URL to every cache).
 */
export function trafficUrls(count: number): string[] {
  const products = [...PRODUCTS].sort((a, b) => b.popularity - a.popularity || a.sku.localeCompare(b.sku));
  const urls = ['/', ...CATEGORIES.map((category) => `/category/${category}`), ...products.map((p) => `/product/${p.category}/${p.sku}`)];
  for (let i = 0; urls.length < count; i++) {
    const product = products[i % products.length]!;
    // Every i gives a URL of its own: a listing page number, or a (product, size) pair.
    urls.push(i % 5 === 0 ? `/category/${product.category}?page=${2 + i / 5}` : `/product/${product.category}/${product.sku}?size=${1 + Math.floor(i / products.length)}`);
  }
  return urls.slice(0, count);
}

export function zipfSampler(n: number, random: () => number): () => number {
  const cdf: number[] = [];
  let sum = 0;
  for (let k = 1; k <= n; k++) cdf.push((sum += 1 / k));
  return () => {
    const target = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cdf[mid] ?? 0) < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export function pick<T>(random: () => number, weighted: ReadonlyArray<readonly [T, number]>): T {
  let point = random();
  for (const [value, weight] of weighted) if ((point -= weight) < 0) return value;
  return weighted[weighted.length - 1]![0];
}

function someItems(random: () => number, max: number): string[] {
  const items = new Set<string>();
  const n = Math.floor(random() * (max + 1));
  while (items.size < n) items.add(PRODUCTS[Math.floor(random() * PRODUCTS.length)]!.sku);
  return [...items];
}

/** Returning visitors (half the consented): 5% gold tier, affinities uniform, a few items seen and bought. */
function storedProfile(index: number, random: () => number): ServiceProfile {
  const affinities = { running: round(random()), outdoor: round(random()) };
  const items = { recentItems: someItems(random, 6), purchased: someItems(random, 3) };
  return { id: `t${index}`, tier: random() < 0.05 ? 'gold' : 'none', segments: [], affinities, recentCategories: [], ...items, locale: 'en-US', updatedAt: '2026-11-29T00:00:00Z' };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

export function newVisitor(index: number, random: () => number): TraceVisitor {
  const consent = pick(random, [['granted', 0.6], ['denied', 0.32], ['gpc', 0.08]] as const);
  return {
    index,
    region: pick(random, [['eu-west', 0.3], ['na-east', 0.3], ['na-west', 0.2], ['apac', 0.2]] as const),
    consent,
    device: pick(random, [['mobile', 0.55], ['desktop', 0.33], ['tablet', 0.1], ['bot', 0.02]] as const),
    locale: pick(random, [['en-US', 0.5], ['en-GB', 0.25], ['de-DE', 0.15], ['fr-FR', 0.1]] as const),
    profile: consent === 'granted' && random() < 0.5 ? storedProfile(index, random) : null,
  };
}
