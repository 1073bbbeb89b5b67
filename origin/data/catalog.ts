/**
 * The demo store's catalog: 320 products, 80 in each of four categories, priced in GBP by kind of
 * item (socks cost less than tents), with popularity and colour drawn from a fixed seed so every
 * run (and every test) sees the same store. The first 32 keep the ids and names the store started
 * with (`sku-1001`..`sku-1032`), which fixtures and logged clickstreams refer to.
 */
import { mulberry32 } from './seeded-random.ts';
import { CATEGORIES, KINDS, ORIGINALS, PREFIXES, type Category, type Kind } from './catalog-kinds.ts';

export { CATEGORIES, type Category };

export interface Product {
  sku: string;
  category: Category;
  name: string;
  /** The kind of item (`Tee`, `Tent`, ...): what sets its price band and its picture. */
  kind: string;
  /** Price in pence (GBP), despite the name: whole hundredths of the currency. */
  priceCents: number;
  popularity: number;
  /** The main colour, a CSS colour. */
  swatch: string;
  tags: readonly string[];
}

const TITLES: Record<Category, string> = {
  running: 'Running',
  outdoor: 'Outdoor',
  shoes: 'Shoes',
  jackets: 'Jackets',
};

/** A price inside the kind's band, rounded to whole pounds minus a penny (£24.99). */
function priceIn(kind: Kind, draw: number): number {
  const [low, high] = kind.pounds;
  return (low + Math.floor(draw * (high - low + 1))) * 100 - 1;
}

function product(sku: string, category: Category, name: string, kind: Kind, random: () => number): Product {
  const hue = Math.floor(random() * 360);
  return {
    sku,
    category,
    name,
    kind: kind.label,
    priceCents: priceIn(kind, random()),
    // Squared so a few items are very popular and most are not, like a real store.
    popularity: Math.round(random() ** 2 * 1000) / 1000,
    swatch: `hsl(${hue} 55% 45%)`,
    tags: [category, kind.label.toLowerCase().replace(/ /g, '-'), ...kind.tags],
  };
}

function buildCatalog(): readonly Product[] {
  const random = mulberry32(20261120);
  const products: Product[] = [];
  const next = (): string => `sku-${1001 + products.length}`;
  for (const category of CATEGORIES) {
    ORIGINALS[category].forEach((name, index) => {
      products.push(product(next(), category, name, KINDS[category][index] as Kind, random));
    });
  }
  for (const category of CATEGORIES) {
    for (const prefix of PREFIXES[category]) {
      for (const kind of KINDS[category]) products.push(product(next(), category, `${prefix} ${kind.label}`, kind, random));
    }
  }
  return products;
}

export const PRODUCTS: readonly Product[] = buildCatalog();
const BY_SKU: ReadonlyMap<string, Product> = new Map(PRODUCTS.map((item) => [item.sku, item]));

export function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}

export function categoryTitle(category: Category): string {
  return TITLES[category];
}

export function productsIn(category: Category): readonly Product[] {
  return PRODUCTS.filter((item) => item.category === category);
}

export function productBySku(sku: string): Product | undefined {
  return BY_SKU.get(sku);
}

export function findProduct(category: Category, sku: string): Product | undefined {
  const found = BY_SKU.get(sku);
  return found?.category === category ? found : undefined;
}

/** The most popular products first, optionally only from `categories`. */
export function bestsellers(count: number, categories: readonly Category[] = CATEGORIES): readonly Product[] {
  return PRODUCTS.filter((item) => categories.includes(item.category))
    .sort((a, b) => b.popularity - a.popularity || a.sku.localeCompare(b.sku))
    .slice(0, count);
}
