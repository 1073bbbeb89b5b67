import { describe, expect, it } from 'vitest';
import { CATEGORIES, PRODUCTS, bestsellers, findProduct, productsIn } from '../../../origin/data/catalog.ts';
import { KINDS } from '../../../origin/data/catalog-kinds.ts';

describe('catalog', () => {
  it('holds 320 products, 80 per category, with distinct ids and names', () => {
    expect(PRODUCTS).toHaveLength(320);
    for (const category of CATEGORIES) expect(productsIn(category)).toHaveLength(80);
    expect(new Set(PRODUCTS.map((item) => item.sku)).size).toBe(320);
    expect(new Set(PRODUCTS.map((item) => item.name)).size).toBe(320);
  });

  it('keeps the original ids: sku-1001 is the Tempo Tee and sku-1020 is a shoe', () => {
    expect(findProduct('running', 'sku-1001')?.name).toBe('Tempo Tee');
    expect(findProduct('running', 'sku-1020')).toBeUndefined();
    expect(findProduct('shoes', 'sku-1020')?.name).toBe('Daily Trainer');
  });

  it('prices every item in pence inside its kind band, ending in 99', () => {
    for (const item of PRODUCTS) {
      const kind = KINDS[item.category].find((candidate) => candidate.label === item.kind);
      expect(kind, item.sku).toBeDefined();
      const [low, high] = kind?.pounds ?? [0, 0];
      expect(item.priceCents).toBeGreaterThanOrEqual(low * 100 - 1);
      expect(item.priceCents).toBeLessThanOrEqual(high * 100 - 1);
      expect(item.priceCents % 100).toBe(99);
    }
  });

  it('ranks bestsellers by popularity within the asked categories', () => {
    const top = bestsellers(5, ['jackets']);
    expect(top.every((item) => item.category === 'jackets')).toBe(true);
    expect(top.map((item) => item.popularity)).toEqual([...top.map((item) => item.popularity)].sort((a, b) => b - a));
  });
});
