import { describe, expect, it } from 'vitest';
import { SEGMENTS } from '../../../origin/data/segment-content.ts';
import { REGIONS } from '../../../origin/data/regions.ts';
import { at, useOrigin } from '../use-origin.ts';

const origin = useOrigin();

function get(path: string): Promise<Response> {
  return fetch(at(origin().urls.fragments, path));
}

function skus(body: string, slot: string): string[] {
  return [...body.matchAll(new RegExp(`data-slot="${slot}" data-item="(sku-\\d+)"`, 'g'))].map((match) => match[1] ?? '');
}

describe('fragments server', () => {
  it.each(SEGMENTS.flatMap((seg) => ['control', 'bold'].map((v) => ({ seg, v }))))('serves the $seg hero in variant $v as a shared fragment', async ({ seg, v }) => {
    const response = await get(`/fragments/hero?seg=${seg}&v=${v}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('surrogate-control')).toBe('max-age=3600, stale-while-revalidate=3600');
    expect(response.headers.get('cache-control')).toBe('public, max-age=60');
    expect(response.headers.get('surrogate-key')).toBe(`frag-hero frag-hero-${seg}`);
    const body = await response.text();
    expect(body).toContain(`class="hero hero--${seg} hero--${v}"`);
    expect(body).not.toContain('<esi:');
  });

  it('gives the bold variant a different headline and treats an empty or unknown variant as control', async () => {
    const bold = await (await get('/fragments/hero?seg=runner&v=bold')).text();
    const control = await (await get('/fragments/hero?seg=runner&v=control')).text();
    expect(bold).not.toBe(control);
    expect(await (await get('/fragments/hero?seg=runner&v=')).text()).toBe(control);
    expect(await (await get('/fragments/hero?seg=runner&v=%3Cscript%3E')).text()).toBe(control);
  });

  it('serves the general hero when seg is missing, and 404 for an unknown segment', async () => {
    expect(await (await get('/fragments/hero')).text()).toContain('hero--general');
    expect((await get('/fragments/hero?seg=admin')).status).toBe(404);
    expect((await get('/fragments/recs?seg=%3Cesi%3Ainclude')).status).toBe(404);
  });

  it.each([
    { layout: 'control', cards: 4 },
    { layout: 'grid', cards: 6 },
  ])('serves segment recommendations with $cards product cards in the $layout layout', async ({ layout, cards }) => {
    const response = await get(`/fragments/recs?seg=runner&layout=${layout}`);
    expect(response.headers.get('surrogate-key')).toBe('frag-recs frag-recs-runner');
    expect(response.headers.get('surrogate-control')).toBe('max-age=3600, stale-while-revalidate=3600');
    expect(response.headers.get('cache-control')).toBe('public, max-age=60');
    const body = await response.text();
    expect(skus(body, 'recs')).toHaveLength(cards);
    expect(body).toContain(`recs-block--${layout}`);
  });

  it('recommends different products to different segments', async () => {
    const runner = skus(await (await get('/fragments/recs?seg=runner&layout=control')).text(), 'recs');
    const outdoor = skus(await (await get('/fragments/recs?seg=outdoor&layout=control')).text(), 'recs');
    expect(runner).not.toEqual(outdoor);
  });

  it('serves per-visitor recommendations as private, naming the visitor, and 404 for an unknown one', async () => {
    const response = await get('/fragments/recs/visitor?vid=u00042');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('surrogate-key')).toBeNull();
    const body = await response.text();
    expect(body).toContain('data-visitor="u00042"');
    expect(body).toContain('running');
    expect(skus(body, 'recs')).toHaveLength(4);
    expect((await get('/fragments/recs/visitor?vid=stranger')).status).toBe(404);
    expect((await get('/fragments/recs/visitor')).status).toBe(404);
  });

  it.each(REGIONS)('serves the %s promo as a shared fragment', async (region) => {
    const response = await get(`/fragments/promo?region=${region}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('surrogate-key')).toBe(`frag-promo frag-promo-${region}`);
    expect(await response.text()).toContain(`data-item="promo-${region}"`);
  });

  it.each(['/fragments/recs?seg=vip&layout=grid', '/fragments/recs/visitor?vid=demo-runner', '/fragments/promo?region=eu-west', '/fragments/hero?seg=outdoor&v=bold'])(
    'never puts ESI markup in the body of %s',
    async (path) => {
      const body = await (await get(path)).text();
      expect(body).toContain('data-slot=');
      expect(body).not.toMatch(/<esi:|<!--esi|\$\(/);
    },
  );

  it.each(['/fragments/promo?region=mars', '/fragments/promo?region=', '/fragments/promo?region=__proto__', '/fragments/unknown'])('answers 404 for %s', async (path) => {
    expect((await get(path)).status).toBe(404);
  });
});
