/**
 * The basket and checkout endpoints of the templates origin. Their POSTs reach the origin through
 * the edge's pass-through with the browser's cookies, and their answers (`Set-Cookie` included)
 * go back as sent. Every input is validated: bad input is a `400` JSON error, never a 5xx.
 *   GET  /cart           the basket page (the contents when the cookie came along, else a shell
 *                        the page script fills in: through the edge's page pipeline no cookie does)
 *   POST /cart           the basket page, for browsers without JavaScript
 *   POST /cart/contents  the basket's table as an HTML fragment, for the page script
 *   POST /cart/add       sku, qty (1–10, default 1); JSON answer when asked for, else the basket page
 *   POST /cart/remove    sku
 *   POST /checkout       places the order and empties the basket; `400` when it is empty
 */
import { htmlResponse, jsonResponse, type OriginRequest, type OriginResponse } from '../http/origin-response.ts';
import { cartCookie, cartIdOf, newCartId } from './cart-cookie.ts';
import { productWithSku, readItemInput } from './cart-input.ts';
import { renderCartContents, renderCartPage, renderOrderPage } from './cart-page.ts';
import { CartStore } from './cart-store.ts';
import { readFormBody } from './form-body.ts';

const PRIVATE = { 'cache-control': 'private, no-store' };
export const CART_PATHS: readonly string[] = ['/cart', '/cart/contents', '/cart/add', '/cart/remove', '/checkout'];

const store = new CartStore();

function wantsJson(request: OriginRequest): boolean {
  return (request.headers.accept ?? '').includes('application/json');
}

function badRequest(error: string): OriginResponse {
  return jsonResponse(400, { error }, { 'cache-control': 'no-store' });
}

function cartJson(id: string): unknown {
  const lines = store.lines(id).map((line) => ({ ...line, priceCents: productWithSku(line.sku)?.priceCents ?? 0 }));
  return { count: store.count(id), totalPence: lines.reduce((sum, line) => sum + line.qty * line.priceCents, 0), lines };
}

/** The basket after a change: JSON for the page script, the page for a plain form post. */
function cartAnswer(request: OriginRequest, id: string): OriginResponse {
  const headers = { ...PRIVATE, 'set-cookie': cartCookie(id, store.count(id)) };
  if (wantsJson(request)) return jsonResponse(200, { cart: cartJson(id) }, headers);
  return htmlResponse(200, renderCartPage({ lines: store.lines(id), count: store.count(id), edge: false }), headers);
}

function change(request: OriginRequest, action: 'add' | 'remove'): OriginResponse {
  const body = readFormBody(request);
  if (!body.ok) return badRequest(body.error);
  const input = readItemInput(body.fields, action === 'add' ? ['sku', 'qty'] : ['sku']);
  if (!input.ok) return badRequest(input.error);
  const id = cartIdOf(request) ?? newCartId();
  if (action === 'remove') store.remove(id, input.product.sku);
  else if (store.add(id, input.product.sku, input.qty) !== 'ok') return badRequest('the basket is full');
  return cartAnswer(request, id);
}

function checkout(request: OriginRequest): OriginResponse {
  const body = readFormBody(request);
  if (!body.ok) return badRequest(body.error);
  if (body.fields.size > 0) return badRequest('checkout takes no fields');
  const id = cartIdOf(request);
  const order = id === null ? null : store.checkout(id, (sku) => {
    const product = productWithSku(sku);
    return product && { name: product.name, priceCents: product.priceCents };
  });
  if (id === null || order === null) return badRequest('the basket is empty');
  const headers = { ...PRIVATE, 'set-cookie': cartCookie(id, 0) };
  if (wantsJson(request)) return jsonResponse(200, { order }, headers);
  return htmlResponse(200, renderOrderPage(order), headers);
}

function cartPage(request: OriginRequest): OriginResponse {
  const id = cartIdOf(request);
  const lines = id === null ? null : store.lines(id);
  const edge = id === null;
  const esi: Record<string, string> = edge ? { 'surrogate-control': 'content="ESI/1.0"' } : {};
  return htmlResponse(200, renderCartPage({ lines, count: id === null ? 0 : store.count(id), edge }), { ...PRIVATE, ...esi });
}

export function cartHandler(request: OriginRequest): OriginResponse {
  const { pathname, method } = request;
  if (pathname === '/cart' && (method === 'GET' || method === 'HEAD')) return cartPage(request);
  if (method !== 'POST') return jsonResponse(405, { error: 'method not allowed' }, { allow: pathname === '/cart' ? 'GET, HEAD, POST' : 'POST', 'cache-control': 'no-store' });
  const body = readFormBody(request);
  switch (pathname) {
    case '/cart/add': return change(request, 'add');
    case '/cart/remove': return change(request, 'remove');
    case '/checkout': return checkout(request);
    default: {
      if (!body.ok) return badRequest(body.error);
      const id = cartIdOf(request);
      if (pathname === '/cart/contents') return htmlResponse(200, renderCartContents(id === null ? [] : store.lines(id)), PRIVATE);
      return htmlResponse(200, renderCartPage({ lines: id === null ? [] : store.lines(id), count: id === null ? 0 : store.count(id), edge: false }), PRIVATE);
    }
  }
}
