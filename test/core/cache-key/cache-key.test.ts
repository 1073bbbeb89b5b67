import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as keys from '../../../src/core/cache-key/cache-key.ts';
import type { PageKeyParts } from '../../../src/core/cache-key/cache-key.ts';
import type { NormalizedUrl } from '../../../src/core/cache-key/url-normalize.ts';
import { webCrypto } from '../../../src/core/crypto/web-crypto.ts';
import { normalizeUrl } from '../../../src/core/cache-key/url-normalize.ts';
import { nodeCrypto } from '../../../src/node-host/node-crypto.ts';

const url = (text: string) => normalizeUrl(new URL(text));
// The keys hash through the crypto port the host passes; Web Crypto is what Compute uses.
const templateCacheKey = (u: NormalizedUrl) => keys.templateCacheKey(u, webCrypto);
const fragmentCacheKey = (u: NormalizedUrl) => keys.fragmentCacheKey(u);
const pageCacheKey = (parts: PageKeyParts) => keys.pageCacheKey(parts, webCrypto);
const page = (overrides: Partial<PageKeyParts> = {}): PageKeyParts => ({
  url: url('https://www.example.com/p'),
  locale: 'en-GB',
  varies: [
    ['DEVICE', 'mobile'],
    ['SEGMENT', 'vip'],
    ['VARIANT{hero-copy}', 'bold'],
  ],
  ...overrides,
});

describe('cache keys', () => {
  it('are a tier prefix and the canonical JSON itself, at once and without hashing', () => {
    const noHash = { sha256: () => Promise.reject(new Error('hashed')), sha256HexNow: () => 'hashed' };
    expect(keys.templateCacheKey(url('https://h/p'), noHash)).toBe('tpl:["template/v1","https://h/p"]');
    expect(fragmentCacheKey(url('https://h/p'))).toBe('frag:["fragment/v1","https://h/p"]');
    expect(keys.pageCacheKey(page(), noHash)).toBe(
      'page:["page/v3","https://www.example.com/p","en-GB",[["DEVICE","mobile"],["SEGMENT","vip"],["VARIANT{hero-copy}","bold"]]]',
    );
  });

  it('never collide across tiers for the same URL', async () => {
    const u = url('https://h/p');
    const bodies = [await templateCacheKey(u), fragmentCacheKey(u), await pageCacheKey(page({ url: u }))].map((k) => k.slice(k.indexOf(':') + 1));
    expect(new Set(bodies).size).toBe(3);
  });

  it('give fragments the same key exactly when their normalized URLs are equal', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true }), fc.webUrl({ withQueryParameters: true }), (a, b) => {
        const [ua, ub] = [url(a), url(b)];
        expect(fragmentCacheKey(ua) === fragmentCacheKey(ub)).toBe(ua.href === ub.href);
      }),
    );
  });

  it.each([
    { name: 'tracking parameters', a: 'https://h/p?a=1&utm_source=x', b: 'https://h/p?a=1' },
    { name: 'parameter order', a: 'https://h/p?b=2&a=1', b: 'https://h/p?a=1&b=2' },
    { name: 'host case and default port', a: 'https://H:443/p', b: 'https://h/p' },
    { name: 'a fragment', a: 'https://h/p#x', b: 'https://h/p' },
    { name: 'escape case', a: 'https://h/a%2fb', b: 'https://h/a%2Fb' },
  ])('share the template key despite $name', async ({ a, b }) => {
    expect(await templateCacheKey(url(a))).toBe(await templateCacheKey(url(b)));
  });

  it.each([
    { name: 'segment', other: page({ varies: [['DEVICE', 'mobile'], ['SEGMENT', 'general'], ['VARIANT{hero-copy}', 'bold']] }) },
    { name: 'variant', other: page({ varies: [['DEVICE', 'mobile'], ['SEGMENT', 'vip'], ['VARIANT{hero-copy}', 'control']] }) },
    { name: 'set of variables read', other: page({ varies: [['DEVICE', 'mobile'], ['SEGMENT', 'vip']] }) },
    { name: 'locale', other: page({ locale: 'de-DE' }) },
    { name: 'URL', other: page({ url: url('https://www.example.com/q') }) },
  ])('give a different page key for a different $name', async ({ other }) => {
    expect(await pageCacheKey(other)).not.toBe(await pageCacheKey(page()));
  });

  it('cannot be forged by moving delimiters between parts', async () => {
    const a = await pageCacheKey(page({ varies: [['SEGMENT', 'a|b']], locale: 'c' }));
    expect(await pageCacheKey(page({ varies: [['SEGMENT', 'a']], locale: 'b|c' }))).not.toBe(a);
    const b = await pageCacheKey(page({ varies: [['SEGMENT', 'a","b']] }));
    expect(await pageCacheKey(page({ varies: [['SEGMENT', 'a'], ['b', '']] }))).not.toBe(b);
  });

  const part = fc.oneof(fc.constantFrom('', '|', ';', '=', ',', '"', '\\', '\u0000', '%7C', 'vip', 'a|b'), fc.string({ maxLength: 4 }));
  const parts = fc.record({
    path: fc.constantFrom('/p', '/p?a=1', '/p?a=1&utm_source=x', '/q', '/p?a=1;b'),
    locale: part,
    varies: fc.array(fc.tuple(fc.constantFrom('SEGMENT', 'DEVICE', 'VARIANT{x|y}', 'GEO{region}'), part), { maxLength: 3 }),
  });

  it('are equal exactly when the normalized inputs are equal', async () => {
    await fc.assert(
      fc.asyncProperty(parts, parts, async (p1, p2) => {
        const build = (p: typeof p1): PageKeyParts => ({ locale: p.locale, varies: p.varies, url: url(`https://h${p.path}`) });
        const [k1, k2] = [await pageCacheKey(build(p1)), await pageCacheKey(build(p2))];
        const canonical = (p: typeof p1) =>
          JSON.stringify([url(`https://h${p.path}`).href, p.locale, p.varies]);
        expect(k1 === k2).toBe(canonical(p1) === canonical(p2));
      }),
      { numRuns: 300 },
    );
  });

  it('give equal template keys exactly when normalized URLs are equal', async () => {
    const paths = fc.constantFrom('/p', '/P', '/p?a=1', '/p?a=1&gclid=2', '/p?a=1;b=2', '/p?a=1&b=2', '/p?b=2&a=1', '/%70', '/p/../p');
    await fc.assert(
      fc.asyncProperty(paths, paths, async (a, b) => {
        const [ua, ub] = [url(`https://h${a}`), url(`https://h${b}`)];
        expect((await templateCacheKey(ua)) === (await templateCacheKey(ub))).toBe(ua.href === ub.href);
      }),
    );
  });

  it('spell every digest in the same hex as node:crypto does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40 }), async (path) => {
        const parts = page({ url: url(`https://h/${'x'.repeat(1024)}${encodeURIComponent(path)}`) });
        const key = await keys.pageCacheKey(parts, webCrypto);
        expect(key).toMatch(/^page:[0-9a-f]{64}$/);
        expect(keys.pageCacheKey(parts, nodeCrypto)).toBe(key);
      }),
      { numRuns: 300 },
    );
  });

  it('reject rather than throw when the hash fails at once (a key past 1 KiB)', async () => {
    const failing = { sha256: () => { throw new Error('no digest'); } };
    const long = url(`https://h/${'x'.repeat(1024)}`);
    await expect(keys.templateCacheKey(long, failing)).rejects.toThrow('no digest');
    await expect(keys.pageCacheKey(page({ url: long }), failing)).rejects.toThrow('no digest');
    expect(keys.pageCacheKey(page(), failing)).toMatch(/^page:\[/);
  });
});
