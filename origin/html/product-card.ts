/** Product cards for grids and recommendations; `data-slot`/`data-item` feed the beacon (static/beacon.js). */
import type { Product } from '../data/catalog.ts';
import { formatGbp } from './money.ts';
import { loadText, renderHtml } from './render-html.ts';

/** The product's picture, drawn as SVG by the templates origin. */
export function productImageUrl(product: Pick<Product, 'sku'>): string {
  return `/static/img/${product.sku}.svg`;
}

export function productHref(product: Product): string {
  return `/product/${product.category}/${product.sku}`;
}

export function renderProductCard(product: Product, slot: string): string {
  return renderHtml(loadText(import.meta.url, './product-card.html'), {
    slot,
    sku: product.sku,
    href: productHref(product),
    image: productImageUrl(product),
    swatch: product.swatch,
    name: product.name,
    price: formatGbp(product.priceCents),
  });
}

export function renderProductCards(products: readonly Product[], slot: string): string {
  return products.map((product) => renderProductCard(product, slot)).join('');
}
