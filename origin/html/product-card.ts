/** Product cards for grids and recommendations; `data-slot`/`data-item` feed the beacon (DESIGN §5.9). */
import { formatPrice, type Product } from '../data/catalog.ts';
import { loadText, renderHtml } from './render-html.ts';

export function productHref(product: Product): string {
  return `/product/${product.category}/${product.sku}`;
}

export function renderProductCard(product: Product, slot: string): string {
  return renderHtml(loadText(import.meta.url, './product-card.html'), {
    slot,
    sku: product.sku,
    href: productHref(product),
    image: product.image,
    name: product.name,
    price: formatPrice(product.pricePence),
  });
}

export function renderProductCards(products: readonly Product[], slot: string): string {
  return products.map((product) => renderProductCard(product, slot)).join('');
}
