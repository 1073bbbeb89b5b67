import { describe, expect, it } from 'vitest';
import { at, useOrigin } from '../use-origin.ts';

const origin = useOrigin();

async function get(path: string): Promise<Response> {
  return fetch(at(origin().urls.templates, path));
}

describe('templates server', () => {
  it.each([
    { path: '/', key: 'template template-home' },
    { path: '/category/running', key: 'template template-category template-category-running' },
    { path: '/category/jackets', key: 'template template-category template-category-jackets' },
    { path: '/product/running/sku-1001', key: 'template template-product product-sku-1001' },
  ])('serves $path as an ESI template kept at the edge for an hour, with surrogate key "$key"', async ({ path, key }) => {
    const response = await get(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('surrogate-control')).toBe('content="ESI/1.0", max-age=3600, stale-while-revalidate=3600');
    expect(response.headers.get('cache-control')).toBe('public, max-age=60');
    expect(response.headers.get('surrogate-key')).toBe(key);
    const body = await response.text();
    expect(body.startsWith('<!doctype html>')).toBe(true);
    expect(body).toContain('/fragments/promo?region=$(GEO{region})');
  });

  it('puts every ESI construct of the dialect on the home page', async () => {
    const body = await (await get('/')).text();
    expect(body).toContain('<esi:include src="/fragments/hero?seg=$(SEGMENT)&amp;v=$(VARIANT{hero-copy})" alt="/fragments/hero?seg=general" timeout="150"/>');
    expect(body).toContain('<esi:include src="/fragments/recs/candidates?seg=$(SEGMENT)" rank="visitor" count="4" exclude=""/>');
    expect(body).toContain('<esi:when test="$(VARIANT{recs-layout}) == \'grid\'">');
    expect(body).not.toContain('$(VISITOR)');
    expect(body).toContain('<esi:include src="/fragments/promo?region=$(GEO{region})" onerror="continue"/>');
    for (const tag of ['<esi:vars>', '<esi:remove>', '<esi:comment ', '<!--esi ', '<esi:except>', '<esi:otherwise>']) {
      expect(body).toContain(tag);
    }
    expect(body).toContain('data-slot="featured" data-item="sku-');
  });

  it('uses $(QUERY_STRING{sort}) in a test on category pages and sorts by price when asked', async () => {
    const body = await (await get('/category/shoes?sort=price')).text();
    expect(body).toContain('<esi:when test="$(QUERY_STRING{sort}) == \'price\'">');
    const prices = [...body.matchAll(/data-slot="category"[\s\S]*?product-card__price">£([\d.,]+)</g)].map((match) => Number((match[1] ?? '').replace(',', '')));
    expect(prices).toHaveLength(80);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
  });

  it('ranks the recommendations of a product page without the product itself', async () => {
    const body = await (await get('/product/running/sku-1001')).text();
    expect(body).toContain('rank="visitor" count="4" exclude="sku-1001"');
  });

  it('serves each product picture as SVG drawn from the item, and 404 for an unknown one', async () => {
    const first = await get('/static/img/sku-1001.svg');
    const other = await get('/static/img/sku-1300.svg');
    const unknown = await get('/static/img/sku-9999.svg');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toContain('image/svg+xml');
    const [a, b] = await Promise.all([first.text(), other.text()]);
    expect(a).toContain('<path d=');
    expect(a).not.toEqual(b);
    expect(unknown.status).toBe(404);
  });

  it.each(['/nope', '/category/kayaks', '/product/running/sku-1020', '/product/running', '/category/running/'])('answers 404 with max-age=60 for %s', async (path) => {
    const response = await get(path);
    expect(response.status).toBe(404);
    expect(response.headers.get('cache-control')).toBe('max-age=60');
    expect(await response.text()).toContain('Page not found');
  });

  it.each(['/account', '/account/nonexistent.css', '/account;x.css'])('answers %s with the private account page', async (path) => {
    const response = await get(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private');
    expect(response.headers.get('surrogate-key')).toBeNull();
    expect(await response.text()).toContain('Your account');
  });

  it.each(['/', '/category/running', '/product/shoes/sku-1017', '/account', '/privacy'])('shows %s in pounds, with the consent form, a basket link and no internal codes', async (path) => {
    const body = await (await get(path)).text();
    expect(body).not.toContain('$(GEO{region}) ·');
    expect(body).not.toMatch(/\$\d/);
    expect(body).toContain('action="/consent"');
    expect(body).toContain('href="/cart"');
    expect(body).toContain('rel="icon"');
    expect(body).not.toContain('must never be stored');
  });

  it('serves the favicon as SVG', async () => {
    const response = await get('/favicon.ico');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/svg+xml');
    expect(await response.text()).toContain('<svg');
  });

  it.each([
    { path: '/static/site.css', type: 'text/css; charset=utf-8', marker: '.product-grid' },
    { path: '/static/beacon.js', type: 'text/javascript; charset=utf-8', marker: "navigator.sendBeacon('/__beacon'" },
  ])('serves $path as $type with max-age=3600 and no ESI', async ({ path, type, marker }) => {
    const response = await get(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(response.headers.get('surrogate-control')).toBeNull();
    const body = await response.text();
    expect(body).toContain(marker);
    expect(body).not.toContain('<esi:');
  });

  it('answers 405 with Allow for a POST', async () => {
    const response = await fetch(at(origin().urls.templates, '/'), { method: 'POST', body: 'x' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const response = await fetch(at(origin().urls.templates, '/'), { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('surrogate-control')).toContain('ESI/1.0');
    expect(Number(response.headers.get('content-length'))).toBeGreaterThan(1000);
    expect(await response.text()).toBe('');
  });
});
