/**
 * Template and page keys are their canonical JSON up to 1,024 UTF-8 bytes and its
 * SHA-256 beyond: the boundary, counted in bytes; the two forms never colliding; and no crafted
 * value or URL moving a part's boundary (a plain key decodes back to exactly its parts).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pageCacheKey, templateCacheKey, type PageKeyParts } from '../../../src/core/cache-key/cache-key.ts';
import { normalizeUrl } from '../../../src/core/cache-key/url-normalize.ts';
import { webCrypto } from '../../../src/core/crypto/web-crypto.ts';
import { nodeCrypto } from '../../../src/node-host/node-crypto.ts';

const url = (text: string) => normalizeUrl(new URL(text));
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const canonical = (p: PageKeyParts) => JSON.stringify(['page/v3', p.url.href, p.locale, p.varies]);
/** The boundary the contract states (docs/contracts.md#caching-and-keys): not the constant, so a change to it fails here. */
const LIMIT = 1024;
const DIGEST = /^page:[0-9a-f]{64}$/;
/** Fastly's core cache takes keys of up to 4 KiB (fastly::cache::core::CacheKey). */
const CORE_CACHE_KEY_BYTES = 4096;

/** A page whose canonical encoding is exactly `size` UTF-8 bytes, padded with `fill` in the segment's value. */
function pageOfBytes(size: number, fill: string): PageKeyParts {
  const base: PageKeyParts = { url: url('https://h/p'), locale: 'en-GB', varies: [['SEGMENT', '']] };
  const room = size - bytes(canonical(base));
  const value = fill.repeat(Math.floor(room / bytes(fill))) + 'a'.repeat(room % bytes(fill));
  const parts: PageKeyParts = { ...base, varies: [['SEGMENT', value]] };
  expect(bytes(canonical(parts))).toBe(size);
  return parts;
}

describe('plain template and page keys', () => {
  it.each(['a', 'é', '€', '😀'])('are the canonical text up to exactly 1,024 UTF-8 bytes, the digest from 1,025 (filled with %s)', async (fill) => {
    const atLimit = pageOfBytes(LIMIT, fill);
    expect(pageCacheKey(atLimit, webCrypto)).toBe(`page:${canonical(atLimit)}`);
    const past = pageOfBytes(LIMIT + 1, fill);
    const digest = await pageCacheKey(past, webCrypto);
    expect(digest).toMatch(DIGEST);
    expect(pageCacheKey(past, nodeCrypto)).toBe(digest);
  });

  it('count UTF-8 bytes, not UTF-16 units', async () => {
    const parts: PageKeyParts = { url: url('https://h/p'), locale: 'en-GB', varies: [['SEGMENT', '€'.repeat(400)]] };
    expect(canonical(parts).length).toBeLessThan(LIMIT);
    expect(await pageCacheKey(parts, webCrypto)).toMatch(DIGEST);
  });

  it('keep a template URL whole up to the same boundary, and stay far below the core cache limit', async () => {
    const room = LIMIT - JSON.stringify(['template/v1', 'https://h/']).length;
    const atLimit = templateCacheKey(url(`https://h/${'x'.repeat(room)}`), webCrypto);
    expect(atLimit).toBe(`tpl:${JSON.stringify(['template/v1', `https://h/${'x'.repeat(room)}`])}`);
    expect(await templateCacheKey(url(`https://h/${'x'.repeat(room + 1)}`), webCrypto)).toMatch(/^tpl:[0-9a-f]{64}$/);
    // The keys that wrap a template key (page-variation.ts, stale-template.ts) with a long locale.
    expect(bytes(`stale:${atLimit as string}|${'x'.repeat(256)}`)).toBeLessThan(CORE_CACHE_KEY_BYTES / 2);
  });

  it('decode back to exactly their inputs from a hostile URL and values', () => {
    const hostile = url('https://h/a%22%5D,%5B%22b?q=%22%5D,%5B%22SEGMENT%22,%22vip%22%5D&x=%00%0A%7C%5C&y=\u00e9');
    const template = templateCacheKey(hostile, webCrypto) as string;
    expect(JSON.parse(template.slice('tpl:'.length))).toEqual(['template/v1', hostile.href]);
    const forged: PageKeyParts = { url: hostile, locale: 'en-GB', varies: [['QUERY_STRING{q}', 'x"],["SEGMENT","vip']] };
    const honest: PageKeyParts = { url: hostile, locale: 'en-GB', varies: [['QUERY_STRING{q}', 'x'], ['SEGMENT', 'vip']] };
    const key = pageCacheKey(forged, webCrypto) as string;
    expect(JSON.parse(key.slice('page:'.length))).toEqual(['page/v3', hostile.href, 'en-GB', [['QUERY_STRING{q}', 'x"],["SEGMENT","vip']]]);
    expect(pageCacheKey(honest, webCrypto)).not.toBe(key);
  });

  it('tell lone surrogates apart (JSON.stringify escapes them; UTF-8 would not)', () => {
    const key = (value: string) => pageCacheKey({ url: url('https://h/p'), locale: 'en', varies: [['SEGMENT', value]] }, webCrypto);
    expect(new Set([key('\ud800'), key('\ud801'), key('\ufffd'), key('\\ud800')]).size).toBe(4);
  });

  const value = fc.oneof(
    fc.constantFrom('', '|', '"', '\\', '\u0000', '"],["SEGMENT","vip', 'é', '😀', '\ud800'),
    fc.string({ maxLength: 8, unit: 'binary' }),
    fc.string({ minLength: 150, maxLength: 450, unit: fc.constantFrom('a', 'é', '€', '😀', '"', '\ud800') }),
  );
  const parts = fc.record({
    path: fc.constantFrom('/p', '/p?a=1', '/q', `/${'x'.repeat(900)}`),
    locale: value,
    varies: fc.array(fc.tuple(fc.constantFrom('SEGMENT', 'QUERY_STRING{q}'), value), { maxLength: 3 }),
  }).map((p): PageKeyParts => ({ url: url(`https://h${p.path}`), locale: p.locale, varies: p.varies }));

  it('are the plain text exactly when it fits, decoding back to the parts; a digest (never starting "[") otherwise', () => {
    fc.assert(
      fc.property(parts, (p) => {
        const key = pageCacheKey(p, nodeCrypto) as string;
        const fits = bytes(canonical(p)) <= LIMIT;
        if (fits) expect(JSON.parse(key.slice('page:'.length))).toEqual(['page/v3', p.url.href, p.locale, p.varies]);
        else expect(key).toMatch(DIGEST);
        expect(bytes(key)).toBeLessThanOrEqual(LIMIT + 'page:'.length);
      }),
      { numRuns: 300 },
    );
  });

  it('are equal exactly when the canonical encodings are, across both forms', () => {
    fc.assert(
      fc.property(parts, parts, (a, b) => {
        expect(pageCacheKey(a, nodeCrypto) === pageCacheKey(b, nodeCrypto)).toBe(canonical(a) === canonical(b));
      }),
      { numRuns: 300 },
    );
  });
});
