/**
 * The demo store's catalog: four categories of eight products each, with prices and popularity
 * drawn from a fixed seed so every run (and every test) sees the same store.
 */
import { mulberry32 } from './seeded-random.ts';

export const CATEGORIES = ['running', 'outdoor', 'shoes', 'jackets'] as const;
export type Category = (typeof CATEGORIES)[number];

export interface Product {
  sku: string;
  category: Category;
  name: string;
  priceCents: number;
  popularity: number;
  swatch: string;
}

const NAMES: Record<Category, readonly string[]> = {
  running: ['Tempo Tee', 'Stride Shorts', 'Pace Tights', 'Race Singlet', 'Split Cap', 'Cadence Socks', 'Interval Vest', 'Long Run Belt'],
  outdoor: ['Ridge Daypack', 'Summit Poles', 'Basecamp Tent', 'Trailhead Bottle', 'Canyon Hat', 'Alpine Gaiters', 'Bivy Sack', 'Headlamp 400'],
  shoes: ['Glide Runner', 'Trail Grip', 'Carbon Racer', 'Daily Trainer', 'Approach Shoe', 'Hiking Boot', 'Recovery Slide', 'Track Spike'],
  jackets: ['Storm Shell', 'Down Puffer', 'Wind Breaker', 'Rain Poncho', 'Fleece Midlayer', 'Insulated Parka', 'Softshell', 'Packable Anorak'],
};

const TITLES: Record<Category, string> = {
  running: 'Running',
  outdoor: 'Outdoor',
  shoes: 'Shoes',
  jackets: 'Jackets',
};

function buildCatalog(): readonly Product[] {
  const random = mulberry32(20261120);
  const products: Product[] = [];
  for (const category of CATEGORIES) {
    for (const name of NAMES[category]) {
      const hue = Math.floor(random() * 360);
      products.push({
        sku: `sku-${1001 + products.length}`,
        category,
        name,
        priceCents: 1500 + Math.floor(random() * 40) * 500 - 1,
        popularity: Math.round(random() * 1000) / 1000,
        swatch: `hsl(${hue} 55% 45%)`,
      });
    }
  }
  return products;
}

export const PRODUCTS: readonly Product[] = buildCatalog();

export function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}

export function categoryTitle(category: Category): string {
  return TITLES[category];
}

export function productsIn(category: Category): readonly Product[] {
  return PRODUCTS.filter((product) => product.category === category);
}

export function findProduct(category: Category, sku: string): Product | undefined {
  return PRODUCTS.find((product) => product.category === category && product.sku === sku);
}

/** The most popular products first, optionally only from `categories`. */
export function bestsellers(count: number, categories: readonly Category[] = CATEGORIES): readonly Product[] {
  return PRODUCTS.filter((product) => categories.includes(product.category))
    .sort((a, b) => b.popularity - a.popularity || a.sku.localeCompare(b.sku))
    .slice(0, count);
}

export function formatPrice(priceCents: number): string {
  return `$${(priceCents / 100).toFixed(2)}`;
}
