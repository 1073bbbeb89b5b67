/** The basket and the order confirmation as HTML, in the store's layout. */
import { formatGbp, poundsValue } from '../html/money.ts';
import { productHref, productImageUrl } from '../html/product-card.ts';
import { loadText, renderHtml } from '../html/render-html.ts';
import { renderStorePage } from '../html/store-page.ts';
import type { CartLine, Order } from './cart-store.ts';
import { productWithSku } from './cart-input.ts';

const TEMPLATES = new URL('../templates/', import.meta.url).href;

function part(file: string, values: Record<string, string>): string {
  return renderHtml(loadText(TEMPLATES, file), values);
}

/** The basket's table and checkout button, or the empty message. */
export function renderCartContents(lines: readonly CartLine[]): string {
  let total = 0;
  const rows: string[] = [];
  for (const line of lines) {
    const product = productWithSku(line.sku);
    if (!product) continue;
    total += product.priceCents * line.qty;
    rows.push(part('./cart-line.html', {
      sku: product.sku, href: productHref(product), image: productImageUrl(product), swatch: product.swatch,
      name: product.name, qty: String(line.qty), price: formatGbp(product.priceCents * line.qty),
    }));
  }
  if (rows.length === 0) return part('./cart-empty.html', {});
  return part('./cart-contents.html', { lines: rows.join(''), total: formatGbp(total), totalValue: poundsValue(total) });
}

export interface CartPageOptions {
  /** Contents known (the request carried the basket cookie), or null for the shell the script fills in. */
  lines: readonly CartLine[] | null;
  count: number;
  edge: boolean;
}

export function renderCartPage(options: CartPageOptions): string {
  const contents = options.lines === null ? part('./cart-shell.html', {}) : renderCartContents(options.lines);
  return renderStorePage({
    kind: 'cart',
    title: 'Your basket',
    path: '/cart',
    edge: options.edge,
    cartCount: options.lines === null ? '' : String(options.count),
    content: part('./cart.html', { contents, loadAttribute: options.lines === null ? ' data-cart-load' : '' }),
  });
}

export function renderOrderPage(order: Order): string {
  const items = order.lines.reduce((sum, line) => sum + line.qty, 0);
  return renderStorePage({
    kind: 'order',
    title: 'Order placed',
    path: '/',
    edge: false,
    cartCount: '0',
    content: part('./order.html', { orderId: order.id, itemCount: String(items), total: formatGbp(order.totalPence), totalValue: poundsValue(order.totalPence) }),
  });
}
