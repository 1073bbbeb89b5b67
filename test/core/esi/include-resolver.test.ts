/**
 * `src` resolution and the SSRF table (docs/contracts.md#esi-dialect, docs/threat-model.md#include-ssrf): refused sources never
 * reach the fetcher; allowed ones are routed by path.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arePlainPaths, isPlainPath, resolveInclude, resolvePlainPath, routeFor } from '../../../src/core/esi/include-resolver.ts';
import { assemble, fakeFetcher, PAGE_URL, SETTINGS } from './esi-test-kit.ts';
import { normalizeUrl } from '../../../src/core/cache-key/url-normalize.ts';

const REFUSED = [
  'http://169.254.169.254/latest/meta-data/',
  '//evil.example/x',
  'http://www.example.com@evil.example/',
  'http://allowed@evil/',
  'http://www.example.com.evil.example/',
  'http://[::1]/',
  'http://[::1]:8080/',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'http://2130706433/',
  'http://0x7f.1/',
  'http://0177.0.0.1/',
  'http://127.0.0.1/',
  'http://localhost/fragments/a',
  'http://www.example.com:8080/fragments/a',
  'https://cdn.example.com:8443/x',
  '/fragments\\a',
  '/fragments/\ta',
  'http://user:pass@www.example.com/fragments/a',
];

describe('refused include sources', () => {
  it.each(REFUSED)('refuses %s without any fetch', async (src) => {
    const fetcher = fakeFetcher({});
    const attribute = src.replaceAll('"', '&quot;');
    const { html, report } = await assemble(`[<esi:include src="${attribute}" alt="/fragments/fallback"/>]`, fakeFetcherWithFallback(fetcher));
    expect(fetcher.calls.filter((call) => call.url.pathname !== '/fragments/fallback')).toEqual([]);
    expect(html).toBe('[FALLBACK]');
    expect(report.fragments[0]?.outcome).toBe('alt');
  });

  it('reports refused with zero fetches when there is no alt', async () => {
    const fetcher = fakeFetcher({});
    const { report } = await assemble('<esi:include src="http://169.254.169.254/latest/meta-data/?k=v"/>', fetcher);
    expect(fetcher.calls).toHaveLength(0);
    expect(report.fragments).toEqual([{ src: '/latest/meta-data/', outcome: 'refused', ms: expect.any(Number) as number, cache: 'PASS' }]);
    expect(report.fetches).toBe(0);
  });

  it('refuses a query value that would remove a path segment', async () => {
    const fetcher = fakeFetcher({});
    await assemble('<esi:include src="/fragments/$(QUERY_STRING{p})/x"/>', fetcher, { vars: { query: 'p=..' } });
    expect(fetcher.calls).toHaveLength(0);
  });
});

function fakeFetcherWithFallback(inner: ReturnType<typeof fakeFetcher>): ReturnType<typeof fakeFetcher> {
  const fetcher = fakeFetcher({ '/fragments/fallback': 'FALLBACK' });
  return Object.assign((request: Parameters<typeof fetcher>[0]) => {
    inner.calls.push(request);
    return fetcher(request);
  }, { calls: inner.calls });
}

const ALLOWED = [
  { src: '/fragments/recs', url: 'https://www.example.com/fragments/recs', backend: 'fragments' },
  { src: 'recs.html', url: 'https://www.example.com/shop/recs.html', backend: 'templates' },
  { src: '//WWW.EXAMPLE.COM/fragments/x', url: 'https://www.example.com/fragments/x', backend: 'fragments' },
  { src: 'http://cdn.example.com/fragments/x?a=1#frag', url: 'http://cdn.example.com/fragments/x?a=1', backend: 'fragments' },
  { src: 'https://CDN.example.com:443/banner', url: 'https://cdn.example.com/banner', backend: 'templates' },
  { src: '/fragments/../admin', url: 'https://www.example.com/admin', backend: 'templates' },
  { src: '/fragments/%2e%2e/admin', url: 'https://www.example.com/admin', backend: 'templates' },
] as const;

describe('allowed include sources', () => {
  it.each(ALLOWED)('routes $src to $backend', ({ src, url, backend }) => {
    const target = resolveInclude(src, PAGE_URL, SETTINGS);
    expect(target).toEqual({ ok: true, url: new URL(url), backend });
  });

  it('allows the page host with its own port (the local Node host)', () => {
    const target = resolveInclude('/fragments/a', new URL('http://127.0.0.1:7676/p'), SETTINGS);
    expect(target.ok && target.url.href).toBe('http://127.0.0.1:7676/fragments/a');
  });

  it('uses the first matching route prefix', () => {
    const settings = { ...SETTINGS, routes: [{ prefix: '/fragments/recs', backend: 'templates' as const }, { prefix: '/fragments/', backend: 'fragments' as const }] };
    expect(resolveInclude('/fragments/recs/1', PAGE_URL, settings)).toMatchObject({ ok: true, backend: 'templates' });
    expect(resolveInclude('/fragments/other', PAGE_URL, settings)).toMatchObject({ ok: true, backend: 'fragments' });
  });
});

/** Characters that make the URL parser rewrite a path, mixed with the ones plain paths are made of. */
const PATH_CHARS = ['/', '.', '..', '%2e', '%2E', '?', '??', '#', '\\', ' ', '~', '-', '_', '=', '&', 'a', 'Z', '0', ':', '@', '//', '\t', 'é'];

describe('plain-path resolution without the URL parser', () => {
  it('agrees with the URL parser on every value it answers for', () => {
    const pages = ['https://www.example.com/p', 'http://127.0.0.1:7676/p'].map((href) => new URL(href));
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PATH_CHARS), { maxLength: 12 }), fc.constantFrom(...pages), (parts, page) => {
        const src = parts.join('');
        const plain = resolvePlainPath(src, page);
        if (plain === null) return;
        const full = resolveInclude(src, page, SETTINGS);
        expect(full.ok).toBe(true);
        if (full.ok) {
          const { href, protocol, host, pathname, search } = full.url;
          const { normal, ...parts } = plain;
          expect({ ...parts, backend: routeFor(plain.pathname, SETTINGS) }).toEqual({ href, protocol, host, pathname, search, backend: full.backend });
          // The normal form it carries for the fragment's cache key is the one normalizeUrl gives the parsed URL.
          expect(normal).toEqual(normalizeUrl(full.url));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('carries the normal form normalizeUrl gives the parsed URL, queries out of order or with tracking parameters included', () => {
    const param = fc.tuple(fc.constantFrom('a', 'b', 'Z', 'seg', 'utm_source', 'UTM_x', 'gclid', ''), fc.constantFrom('', '=', '=1', '=x-y', '=1=2'));
    fc.assert(
      fc.property(fc.constantFrom('/fragments/a', '/b'), fc.array(param, { maxLength: 5 }), (path, params) => {
        const src = `${path}?${params.map(([name, value]) => name + value).join('&')}`;
        const plain = resolvePlainPath(src, PAGE_URL);
        expect(plain?.normal).toEqual(normalizeUrl(new URL(src, PAGE_URL)));
      }),
      { numRuns: 500 },
    );
  });

  it.each(['/fragments/recs', '/fragments/f1?n=4&x=a-b', '/a/b.html'])('answers for the plain path %s', (src) => {
    expect(resolvePlainPath(src, PAGE_URL)).not.toBeNull();
  });

  it.each(['/fragments/../admin', '/fragments/%2e%2e/admin', '//evil.example/x', 'https://www.example.com/a', '/a#b', '/a b', 'fragments/a', '/a/./b'])('leaves %s to the URL parser', (src) => {
    expect(resolvePlainPath(src, PAGE_URL)).toBeNull();
  });
  it('tells whether values without line breaks are all plain paths as one test of each would', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.constantFrom(...PATH_CHARS), { maxLength: 8 }).map((parts) => parts.join('')), { minLength: 1, maxLength: 5 }), (srcs) => {
        expect(arePlainPaths(srcs.join('\n') + '\n')).toBe(srcs.every((src) => isPlainPath(src)));
      }),
      { numRuns: 2000 },
    );
  });
});
