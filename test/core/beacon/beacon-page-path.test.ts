import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeUrl } from '../../../src/core/cache-key/url-normalize.ts';
import { parseBeaconBody } from '../../../src/core/beacon/beacon-body.ts';

/** The page path as beacon-body.ts read it before it cut the query off: the whole URL normalized. */
function reference(page: string): string | null {
  if (page.length === 0 || page.length > 512) return null;
  if (!page.startsWith('/') || page.startsWith('//') || page.includes('\\')) return null;
  for (let i = 0; i < page.length; i++) {
    const code = page.charCodeAt(i);
    if (code <= 0x20 || code === 0x7f) return null;
  }
  try {
    const path = normalizeUrl(new URL(page, 'https://beacon.invalid')).path;
    return path.length <= 512 ? path : null;
  } catch {
    return null;
  }
}

function parsed(page: string): string | null {
  const result = parseBeaconBody(JSON.stringify({ type: 'click', slot: 'recs', item: 'a', page }));
  return result.ok ? result.beacon.page : null;
}

const PIECES = ['/', '/', '.', '..', '/./', '/../', '%', '%2e', '%2E', '%2e%2E', '%3c', '%7e', '%41', '%zz', '?', '#', '&', '=', '+', ';', ':', '@',
  'a', 'Z', '9', '-', '_', '~', 'é', '\u{1F600}', '\uD800', '\uDC00', ' ', '\t', '\n', '\u0000', '\u007f', '\u0085', '\\', '"', "'", '<', '>', '[', ']',
  '|', '^', '`', '{', '}', 'utm_source=x', 'b=1&a=2', 'xn--', '\u00a0', '\u3000', '\ufeff'];
const pieces = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((parts) => parts.join(''));
const prefix = fc.constantFrom('/', '/', '/product/', '//', '/\\', '', 'https://evil.example/', '/a/b/../', '?', '#');
const page = fc.oneof(
  fc.tuple(prefix, pieces).map(([a, b]) => a + b),
  fc.tuple(prefix, fc.string({ unit: 'binary', maxLength: 60 })).map(([a, b]) => a + b),
  fc.webUrl({ withQueryParameters: true, withFragments: true }).map((url) => url.slice(url.indexOf('/', 8))),
  fc.tuple(fc.constantFrom('/p', '/p?q=', '/%2e%2e/', '/é/'), fc.constantFrom('a', '%3C', '.', '/', 'é', '?'), fc.integer({ min: 100, max: 4096 })).map(([a, b, n]) => a + b.repeat(n).slice(0, n)),
);

describe('the beacon page path', () => {
  it('is what normalizing the whole URL gave, for any page', () => {
    fc.assert(fc.property(page, (p) => {
      expect(parsed(p)).toBe(reference(p));
    }), { numRuns: 20_000 });
  });

  it.each([
    ['/product/x?b=1&a=2#top', '/product/x'],
    ['/a#b?c', '/a'],
    ['/a/./b/../c?x=../..', '/a/c'],
    ['/%2e%2E/x', '/x'],
    ['/é?é', '/%C3%A9'],
    ['/a%7e%3c', '/a~%3C'],
    [`/p?${'q'.repeat(500)}`, '/p'],
    ['/\\evil', null],
    [`/${'a'.repeat(512)}`, null],
  ])('reads %j as %j', (p, expected) => {
    expect(parsed(p)).toBe(expected);
    expect(reference(p)).toBe(expected);
  });
});
