/**
 * The `templates` backend (docs/contracts.md#templates): the demo store's pages as HTML with ESI markup, cacheable at the edge,
 * plus static assets, a private `/account` page, the consent form's endpoint and the basket and
 * checkout (cart/cart-handler.ts), which answer per visitor and are never cacheable.
 */
import { bestsellers, categoryTitle, findProduct, isCategory, productBySku, productsIn } from '../data/catalog.ts';
import { renderProductImage } from '../html/product-image.ts';
import type { Category } from '../data/catalog.ts';
import { CART_PATHS, cartHandler } from '../cart/cart-handler.ts';
import { consentForm, renderStorePage } from '../html/store-page.ts';
import { consentHandler } from '../consent/consent-handler.ts';
import { formatGbp, poundsValue } from '../html/money.ts';
import { productImageUrl, renderProductCards } from '../html/product-card.ts';
import { loadText, renderHtml } from '../html/render-html.ts';
import { htmlResponse, methodNotAllowed, respond } from '../http/origin-response.ts';
import { publishedHeaders } from '../http/published-content.ts';
import type { OriginRequest, OriginResponse } from '../http/origin-response.ts';


function page(pageKind: string, title: string, file: string, values: Record<string, string>, path = '/'): string {
  const content = renderHtml(loadText(import.meta.url, file), values);
  return renderStorePage({ kind: pageKind, title, content, path, edge: true });
}

function template(pageKind: string, title: string, file: string, values: Record<string, string>, keys: string, path: string): OriginResponse {
  return htmlResponse(200, page(pageKind, title, file, values, path), publishedHeaders({ esi: true, surrogateKeys: `template ${keys}` }));
}

function fallbackCards(): string {
  return renderProductCards(bestsellers(4), 'fallback');
}

/**
 * The recommendations: the segment's shared candidate list, ranked for the visitor at the edge
 * (never a per-visitor origin request), without `exclude` (the page's own item); static cards as
 * its except branch.
 */
function recsSlot(fallbackTitle: string, cards: string, timeoutMs?: number, exclude = ''): string {
  const timeoutAttribute = timeoutMs === undefined ? '' : ` timeout="${timeoutMs}"`;
  return renderHtml(loadText(import.meta.url, './recs-slot.html'), { fallbackTitle, fallbackCards: cards, timeoutAttribute, exclude });
}

function home(): OriginResponse {
  const featuredCards = renderProductCards(bestsellers(8), 'featured');
  const values = { recsSlot: recsSlot('Popular right now', fallbackCards()), featuredCards };
  return template('home', 'Gear for every trail', './home.html', values, 'template-home', '/');
}

function category(slug: Category, sort: string | null): OriginResponse {
  const products = [...productsIn(slug)].sort(sort === 'price' ? (a, b) => a.priceCents - b.priceCents : (a, b) => b.popularity - a.popularity);
  const values = {
    categoryTitle: categoryTitle(slug),
    productCards: renderProductCards(products, 'category'),
    recsSlot: recsSlot('Popular right now', fallbackCards(), 200),
  };
  return template('category', categoryTitle(slug), './category.html', values, `template-category template-category-${slug}`, `/category/${slug}`);
}

function product(slug: Category, sku: string): OriginResponse {
  const item = findProduct(slug, sku);
  if (!item) return notFound();
  const related = productsIn(slug).filter((other) => other.sku !== sku).slice(0, 4);
  const values = {
    category: slug,
    categoryTitle: categoryTitle(slug),
    name: item.name,
    price: formatGbp(item.priceCents),
    value: poundsValue(item.priceCents),
    sku: item.sku,
    swatch: item.swatch,
    image: productImageUrl(item),
    recsSlot: recsSlot(`More ${categoryTitle(slug)}`, renderProductCards(related, 'related'), undefined, item.sku),
  };
  return template('product', item.name, './product.html', values, `template-product product-${sku}`, `/product/${slug}/${sku}`);
}

function account(): OriginResponse {
  return htmlResponse(200, page('account', 'Your account', './account.html', {}), {
    'surrogate-control': 'content="ESI/1.0"',
    'cache-control': 'private',
  });
}

function privacy(): OriginResponse {
  const content = renderHtml(loadText(import.meta.url, './privacy.html'), { consentForm: consentForm('/privacy') });
  const body = renderStorePage({ kind: 'privacy', title: 'Privacy settings', content, path: '/privacy', edge: true, banner: false });
  return htmlResponse(200, body, publishedHeaders({ esi: true, surrogateKeys: 'template template-privacy' }));
}

function notFound(): OriginResponse {
  return htmlResponse(404, page('not-found', 'Not found', './not-found.html', { fallbackCards: fallbackCards() }), {
    'surrogate-control': 'content="ESI/1.0", max-age=60',
    'cache-control': 'max-age=60',
  });
}

const IMAGE_PATH = /^\/static\/img\/(sku-\d{4})\.svg$/;

/** `/static/img/sku-1234.svg`: the product's picture, drawn from its attributes; 404 for unknown ids. */
function productImage(pathname: string): OriginResponse | null {
  const sku = IMAGE_PATH.exec(pathname)?.[1];
  const item = sku === undefined ? undefined : productBySku(sku);
  return item ? respond(200, 'image/svg+xml; charset=utf-8', renderProductImage(item), { 'cache-control': 'public, max-age=86400' }) : null;
}

function asset(file: string, contentType: string): OriginResponse {
  return respond(200, contentType, loadText(import.meta.url, file), { 'cache-control': 'public, max-age=3600' });
}

const ASSETS: Readonly<Record<string, readonly [string, string]>> = {
  '/static/site.css': ['../static/site.css', 'text/css; charset=utf-8'],
  '/static/beacon.js': ['../static/beacon.js', 'text/javascript; charset=utf-8'],
  '/static/store.js': ['../static/store.js', 'text/javascript; charset=utf-8'],
  '/favicon.svg': ['../static/favicon.svg', 'image/svg+xml'],
  '/favicon.ico': ['../static/favicon.svg', 'image/svg+xml'],
};

/** Private pages match by prefix on purpose, like many real origins: `/account/x.css` is still the account. */
function isAccountPath(pathname: string): boolean {
  return pathname === '/account' || pathname.startsWith('/account/') || pathname.startsWith('/account;');
}

export function templatesHandler(request: OriginRequest): OriginResponse {
  const { pathname } = request;
  if (CART_PATHS.includes(pathname)) return cartHandler(request);
  if (pathname === '/consent') return consentHandler(request);
  if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed('GET, HEAD');
  if (pathname === '/') return home();
  const file = Object.hasOwn(ASSETS, pathname) ? ASSETS[pathname] : undefined;
  if (file) return asset(file[0], file[1]);
  if (pathname.startsWith('/static/img/')) return productImage(pathname) ?? notFound();
  if (isAccountPath(pathname)) return account();
  if (pathname === '/privacy') return privacy();
  const parts = pathname.split('/');
  const slug = parts[2] ?? '';
  if (isCategory(slug) && parts.length === 3 && parts[1] === 'category') return category(slug, request.query.get('sort'));
  if (isCategory(slug) && parts.length === 4 && parts[1] === 'product') return product(slug, parts[3] ?? '');
  return notFound();
}
