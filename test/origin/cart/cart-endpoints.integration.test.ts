import { describe, expect, it } from 'vitest';
import { at, useOrigin } from '../use-origin.ts';

const origin = useOrigin();
const FORM = 'application/x-www-form-urlencoded';

function post(path: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(at(origin().urls.templates, path), { method: 'POST', body, redirect: 'manual', headers: { 'content-type': FORM, ...headers } });
}

function cookieOf(response: Response): string {
  return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

async function basketWith(items: string): Promise<string> {
  const response = await post('/cart/add', items, { accept: 'application/json' });
  expect(response.status).toBe(200);
  return cookieOf(response);
}

describe('basket and checkout on the templates origin', () => {
  it('adds an item, counts it in the cart cookie and answers JSON when asked', async () => {
    const response = await post('/cart/add', 'sku=sku-1017&qty=2', { accept: 'application/json' });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('set-cookie')).toMatch(/^cart=[0-9a-f-]{36}\.2; Path=\/; Max-Age=\d+; SameSite=Lax$/);
    const body = (await response.json()) as { cart: { count: number; totalPence: number; lines: unknown[] } };
    expect(body.cart.count).toBe(2);
    expect(body.cart.lines).toEqual([expect.objectContaining({ sku: 'sku-1017', qty: 2 })]);
    expect(body.cart.totalPence).toBeGreaterThan(0);
  });

  it('keeps one basket per cookie, removes items and answers a plain form post with the basket page', async () => {
    const cookie = await basketWith('sku=sku-1017');
    await post('/cart/add', 'sku=sku-1002', { cookie, accept: 'application/json' });
    const removed = await post('/cart/remove', 'sku=sku-1017', { cookie });
    expect(removed.status).toBe(200);
    const page = await removed.text();
    expect(page).toContain('data-item="sku-1002"');
    expect(page).not.toContain('data-item="sku-1017"');
    expect(page).toContain('£');
    expect(page).not.toContain('<esi:');
    expect(removed.headers.get('set-cookie')).toContain('.1;');
  });

  it('checks out: an order with the basket total, then an empty basket', async () => {
    const cookie = await basketWith('sku=sku-1017&qty=3');
    const contents = await (await post('/cart/contents', '', { cookie })).text();
    const total = /data-cart-total="([\d.]+)"/.exec(contents)?.[1];
    const order = await post('/checkout', '', { cookie });
    expect(order.status).toBe(200);
    const html = await order.text();
    expect(html).toMatch(/data-order="TS-\d{6}"/);
    expect(html).toContain(`data-value="${total}"`);
    expect(order.headers.get('set-cookie')).toContain('.0;');
    const again = await post('/checkout', '', { cookie });
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ error: 'the basket is empty' });
  });

  it('shows the basket on GET /cart when the cookie comes along, and a shell the script fills in when not', async () => {
    const cookie = await basketWith('sku=sku-1005');
    const withCookie = await fetch(at(origin().urls.templates, '/cart'), { headers: { cookie } });
    expect(await withCookie.text()).toContain('data-item="sku-1005"');
    const shell = await fetch(at(origin().urls.templates, '/cart'));
    expect(shell.headers.get('cache-control')).toBe('private, no-store');
    expect(shell.headers.get('set-cookie')).toBeNull();
    expect(await shell.text()).toContain('data-cart-load');
  });

  it.each([
    { name: 'unknown sku', path: '/cart/add', body: 'sku=sku-9999999', error: 'no such product' },
    { name: 'malformed sku', path: '/cart/add', body: 'sku=<script>', error: 'sku must look like "sku-1001"' },
    { name: 'missing sku', path: '/cart/add', body: 'qty=1', error: 'sku must look like "sku-1001"' },
    { name: 'qty 0', path: '/cart/add', body: 'sku=sku-1001&qty=0', error: 'qty must be a whole number from 1 to 10' },
    { name: 'qty 11', path: '/cart/add', body: 'sku=sku-1001&qty=11', error: 'qty must be a whole number from 1 to 10' },
    { name: 'qty not a number', path: '/cart/add', body: 'sku=sku-1001&qty=1e1', error: 'qty must be a whole number from 1 to 10' },
    { name: 'unknown field', path: '/cart/add', body: 'sku=sku-1001&price=0', error: 'unknown field "price"' },
    { name: 'repeated field', path: '/cart/add', body: 'sku=sku-1001&sku=sku-1002', error: 'field "sku" is repeated' },
    { name: 'qty on remove', path: '/cart/remove', body: 'sku=sku-1001&qty=1', error: 'unknown field "qty"' },
    { name: 'fields on checkout', path: '/checkout', body: 'total=0', error: 'checkout takes no fields' },
    { name: 'checkout without a basket', path: '/checkout', body: '', error: 'the basket is empty' },
  ])('answers 400 JSON for $name', async ({ path, body, error }) => {
    const response = await post(path, body);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ error });
  });

  it.each([
    { name: 'invalid JSON', type: 'application/json', body: '{"sku":', error: 'body is not valid JSON' },
    { name: 'a JSON array', type: 'application/json', body: '["sku-1001"]', error: 'body must be a JSON object' },
    { name: 'a nested value', type: 'application/json', body: '{"sku":{"$gt":""}}', error: 'field "sku" must be a string or a number' },
    { name: 'an unknown content type', type: 'application/xml', body: '<sku/>', error: 'body must be a form (application/x-www-form-urlencoded) or JSON' },
  ])('answers 400 JSON for $name', async ({ type, body, error }) => {
    const response = await post('/cart/add', body, { 'content-type': type });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error });
  });

  it('ignores a forged cart cookie and starts a new basket', async () => {
    const response = await post('/cart/add', 'sku=sku-1001', { cookie: 'cart=../../etc/passwd.9', accept: 'application/json' });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(/^cart=[0-9a-f-]{36}\.1;/);
  });

  it('answers 413 JSON for a body over 16 KiB and 405 JSON for a GET of an action', async () => {
    const big = await post('/cart/add', `sku=${'x'.repeat(20_000)}`);
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: string }).error).toContain('bytes');
    const get = await fetch(at(origin().urls.templates, '/checkout'));
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });
});

describe('consent form endpoint', () => {
  it.each([
    { body: 'choice=all&return=/category/running', consent: 'personalization,analytics', location: '/category/running' },
    { body: 'choice=none&personalization=on', consent: 'none', location: '/' },
    { body: 'choice=custom&analytics=on&return=/', consent: 'analytics', location: '/' },
    { body: 'choice=custom&personalization=on&analytics=on', consent: 'personalization,analytics', location: '/' },
    { body: 'choice=custom', consent: 'none', location: '/' },
  ])('$body sets consent=$consent and returns to $location', async ({ body, consent, location }) => {
    const response = await post('/consent', body);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(location);
    expect(response.headers.get('set-cookie')).toBe(`consent=${consent}; Path=/; Max-Age=31536000; SameSite=Lax`);
  });

  it.each([
    { name: 'no choice', body: 'personalization=on' },
    { name: 'an unknown choice', body: 'choice=some' },
    { name: 'a box with another value', body: 'choice=custom&personalization=yes' },
    { name: 'another site as return', body: 'choice=all&return=//evil.example' },
    { name: 'a URL as return', body: 'choice=all&return=https://evil.example/' },
    { name: 'an unknown field', body: 'choice=all&marketing=on' },
  ])('sets no cookie and answers 400 JSON for $name', async ({ body }) => {
    const response = await post('/consent', body);
    expect(response.status).toBe(400);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(Object.keys((await response.json()) as object)).toEqual(['error']);
  });
});
