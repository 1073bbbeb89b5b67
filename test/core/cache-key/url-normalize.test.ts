import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normalizeUrl } from '../../../src/core/cache-key/url-normalize.ts';
import { isTrackingAsciiName, isTrackingParameter } from '../../../src/core/cache-key/tracking-parameters.ts';

const href = (url: string): string => normalizeUrl(new URL(url)).href;

describe('normalizeUrl', () => {
  it.each([
    { name: 'lowercases the host', input: 'https://WWW.Example.COM/p', expected: 'https://www.example.com/p' },
    { name: 'drops the default port', input: 'https://www.example.com:443/p', expected: 'https://www.example.com/p' },
    { name: 'keeps a non-default port', input: 'https://www.example.com:8443/p', expected: 'https://www.example.com:8443/p' },
    { name: 'drops userinfo', input: 'https://user:pw@www.example.com/p', expected: 'https://www.example.com/p' },
    { name: 'drops the fragment', input: 'https://www.example.com/p?a=1#top', expected: 'https://www.example.com/p?a=1' },
    { name: 'keeps path case', input: 'https://h/Shoes/Red', expected: 'https://h/Shoes/Red' },
    { name: 'removes dot segments', input: 'https://h/a/./b/../c', expected: 'https://h/a/c' },
    { name: 'removes encoded dot segments', input: 'https://h/a/%2e%2E/c', expected: 'https://h/c' },
    { name: 'never climbs above the root', input: 'https://h/../../etc', expected: 'https://h/etc' },
    { name: 'decodes unreserved escapes in the path', input: 'https://h/%7Euser/%41%2d%5f', expected: 'https://h/~user/A-_' },
    { name: 'uppercases reserved escapes', input: 'https://h/a%2fb%3b', expected: 'https://h/a%2Fb%3B' },
    { name: 'escapes a stray percent', input: 'https://h/100%', expected: 'https://h/100%25' },
    { name: 'escapes a pipe in the path', input: 'https://h/a|b', expected: 'https://h/a%7Cb' },
    { name: 'encodes non-ASCII as UTF-8', input: 'https://h/café', expected: 'https://h/caf%C3%A9' },
    { name: 'gives an empty query no ?', input: 'https://h/p?', expected: 'https://h/p' },
    { name: 'drops a query of only separators', input: 'https://h/p?&&', expected: 'https://h/p' },
    { name: 'sorts parameters by name', input: 'https://h/p?b=2&a=1&c=3', expected: 'https://h/p?a=1&b=2&c=3' },
    { name: 'keeps the first of duplicate names', input: 'https://h/p?seg=b&x=1&seg=a', expected: 'https://h/p?seg=b&x=1' },
    { name: 'removes utm_* parameters', input: 'https://h/p?utm_source=x&UTM_Medium=y&a=1', expected: 'https://h/p?a=1' },
    {
      name: 'removes click ids',
      input: 'https://h/p?gclid=1&fbclid=2&msclkid=3&dclid=4&mc_cid=5&mc_eid=6&_ga=7&yclid=8&q=shoes',
      expected: 'https://h/p?q=shoes',
    },
    { name: 'removes an encoded tracking name', input: 'https://h/p?utm%5Fsource=x&a=1', expected: 'https://h/p?a=1' },
    { name: 'keeps ; inside a value, escaped', input: 'https://h/p?a=x;seg=vip', expected: 'https://h/p?a=x%3Bseg%3Dvip' },
    { name: 'cannot cloak a parameter behind a tracking one', input: 'https://h/p?utm_content=x;seg=vip', expected: 'https://h/p' },
    { name: 'keeps a name without value distinct', input: 'https://h/p?a&b=', expected: 'https://h/p?a&b=' },
    { name: 'keeps + as it is', input: 'https://h/p?q=a+b&r=a%2Bb&s=a%20b', expected: 'https://h/p?q=a+b&r=a%2Bb&s=a%20b' },
    { name: 'decodes unreserved escapes in the query', input: 'https://h/p?%61=%7E', expected: 'https://h/p?a=~' },
    { name: 'escapes a quote in the query', input: "https://h/p?q='x'", expected: 'https://h/p?q=%27x%27' },
    { name: 'escapes a pipe in a value', input: 'https://h/p?q=a|b', expected: 'https://h/p?q=a%7Cb' },
    { name: 'keeps the root path', input: 'https://h', expected: 'https://h/' },
  ])('$name', ({ input, expected }) => {
    expect(href(input)).toBe(expected);
  });

  it('splits the result into host, path and query', () => {
    expect(normalizeUrl(new URL('https://WWW.example.com/a/b?z=1&y=2#f'))).toEqual({
      host: 'www.example.com',
      path: '/a/b',
      query: '?y=2&z=1',
      href: 'https://www.example.com/a/b?y=2&z=1',
    });
  });

  /** Raw text mixed with escapes (valid, lowercase, stray), dots and separators. */
  const piece = fc
    .array(fc.oneof(fc.string({ unit: 'binary', maxLength: 4 }), fc.constantFrom('%41', '%2f', '%7e', '%zz', '%', '.', '..', ';', '+', '=', '%2E', '%C3%A9', "'", '|')), { maxLength: 4 })
    .map((parts) => parts.join('').replace(/[#?&\\/]/g, ''));
  const urls = fc
    .tuple(
      fc.constantFrom('http', 'https'),
      fc.constantFrom('www.example.com', 'WWW.EXAMPLE.com', 'h:8080'),
      fc.array(piece, { maxLength: 4 }),
      fc.array(fc.tuple(fc.oneof(piece, fc.constantFrom('a', 'utm_x', 'gclid')), piece), { maxLength: 5 }),
    )
    .map(([scheme, host, segments, params]) => {
      const path = segments.join('/');
      const query = params.map(([k, v]) => `${k}=${v}`).join('&');
      return `${scheme}://${host}/${path}${query ? `?${query}` : ''}`;
    });

  it.each([
    ['/a/./b/../c', '/a/c'],
    ['/a/..', '/'],
    ['/./', '/'],
    ['/a/.b/c..', '/a/.b/c..'],
  ])('removes the dot segments of a path handed in unparsed: %s is %s', (pathname, path) => {
    expect(normalizeUrl({ protocol: 'https:', host: 'h', pathname, search: '' }).path).toBe(path);
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(urls, (url) => {
        const once = normalizeUrl(new URL(url));
        expect(normalizeUrl(new URL(once.href))).toEqual(once);
      }),
      { numRuns: 500 },
    );
  });

  // An escape anywhere sends a query down the general path; a tracking parameter holding one is
  // then dropped, so appending it forces that path without changing the normal form.
  const generalPath = (url: URL): string => normalizeUrl(new URL(`${url.origin}${url.pathname}?${url.search.slice(1)}&utm_z=%25`)).query;

  it('gives a one-parameter query the same normal form as the general path does', () => {
    fc.assert(
      fc.property(fc.oneof(piece, fc.constantFrom('a', 'utm_x', 'gclid')), fc.option(fc.oneof(piece, fc.constantFrom('vip', 'x:y', '%2E'))), (name, value) => {
        const parsed = new URL(`https://h/p?${value === null ? name : `${name}=${value}`}`);
        expect(normalizeUrl(parsed).query).toBe(generalPath(parsed));
      }),
      { numRuns: 1000 },
    );
  });

  it('gives a query of already normal characters the same normal form as the general path does', () => {
    const text = fc.stringMatching(/^[a-z0-9_~:/?=.-]{0,4}$/);
    const name = fc.oneof(text, fc.constantFrom('a', 'b', 'utm_x', 'GCLID', '_ga'));
    fc.assert(
      fc.property(fc.array(fc.tuple(name, fc.option(text)), { maxLength: 5 }), fc.boolean(), (params, emptyPart) => {
        const query = params.map(([k, v]) => (v === null ? k : `${k}=${v}`)).concat(emptyPart ? [''] : []).join('&');
        const parsed = new URL(`https://h/p?${query}`);
        expect(normalizeUrl(parsed).query).toBe(generalPath(parsed));
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    { name: 'keeps a sorted query as it is', input: 'https://h/p?a=1&b=2', expected: 'https://h/p?a=1&b=2' },
    { name: 'drops a tracking parameter from a sorted query', input: 'https://h/p?utm_source=x&color=red', expected: 'https://h/p?color=red' },
    { name: 'sorts an unsorted query', input: 'https://h/p?b=2&a=1', expected: 'https://h/p?a=1&b=2' },
    { name: 'keeps the first of equal names', input: 'https://h/p?a=1&a=2', expected: 'https://h/p?a=1' },
    { name: 'escapes a second = in a value', input: 'https://h/p?a=b=c', expected: 'https://h/p?a=b%3Dc' },
    { name: 'drops empty parameters', input: 'https://h/p?&a=1&&', expected: 'https://h/p?a=1' },
    { name: 'keeps a value whose ? is followed by a tracking name', input: 'https://h/p?a=x?gclid&b=utm_y', expected: 'https://h/p?a=x?gclid&b=utm_y' },
    { name: 'drops a tracking name written in capitals', input: 'https://h/p?a=1&UTM_Source=x&z', expected: 'https://h/p?a=1&z' },
    { name: 'drops a trailing tracking name without a value', input: 'https://h/p?a=1&_ga', expected: 'https://h/p?a=1' },
    { name: 'keeps a name that only starts like a tracking name', input: 'https://h/p?gclidx=1&utm=2', expected: 'https://h/p?gclidx=1&utm=2' },
    { name: 'sorts a query whose names are equal up to a shorter one', input: 'https://h/p?ab=1&a=2', expected: 'https://h/p?a=2&ab=1' },
    { name: 'keeps two names in order, values holding ?', input: 'https://h/p?a=x?y&b=z', expected: 'https://h/p?a=x?y&b=z' },
    { name: 'sorts three parameters after a long first one', input: `https://h/p?${'c'.repeat(5000)}=1&b&a=2`, expected: `https://h/p?a=2&b&${'c'.repeat(5000)}=1` },
  ])('$name', ({ input, expected }) => {
    expect(href(input)).toBe(expected);
  });

  it('is invariant to parameter order when names are distinct', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z]{1,4}$/), fc.stringMatching(/^[a-z0-9]{0,4}$/)), { selector: ([k]) => k, maxLength: 6 }), (params) => {
        const forward = params.map(([k, v]) => `${k}=${v}`).join('&');
        const backward = [...params].reverse().map(([k, v]) => `${k}=${v}`).join('&');
        expect(href(`https://h/p?${forward}`)).toBe(href(`https://h/p?${backward}`));
      }),
    );
  });

  /** Hosts, paths and queries near the shape the unparsed fast path admits, and just outside it. */
  const label = fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{0,5}$/), fc.constantFrom('xn--bcher-kva', 'xn--a', '0x7f', '1', '08', 'A', 'a_b', ''));
  const hosts = fc.oneof(
    fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.')),
    fc.constantFrom('www.example.com', 'WWW.Example.com', 'u:p@h', '[::1]', 'example.com.', 'bücher.de', 'h:', 'a.b:0'),
    fc.tuple(fc.array(fc.constantFrom('0', '1', '01', '127', '255', '256', '0x7f', '999'), { minLength: 1, maxLength: 5 }), fc.constantFrom('', ':80', ':443', ':8080')).map(([parts, port]) => `${parts.join('.')}${port}`),
    fc.tuple(label, fc.constantFrom(':80', ':443', ':08080', ':65535', ':65536', ':99999', ':1', ':0')).map(([name, port]) => `${name}.com${port}`),
  );
  const plainText = fc.stringMatching(/^[a-z0-9_~:@!$&'()*+,;=.-]{0,5}$/);
  const hrefs = fc
    .tuple(
      fc.constantFrom('http', 'https', 'HTTPS', 'ftp'),
      hosts,
      fc.array(fc.oneof(plainText, piece, fc.constantFrom('.', '..', '%2e', '%2E%2e')), { maxLength: 4 }),
      fc.option(fc.array(fc.tuple(fc.oneof(plainText, piece, fc.constantFrom('a', 'utm_x', 'gclid')), fc.option(fc.oneof(plainText, piece))), { maxLength: 4 })),
      fc.constantFrom('', '', '#f', '?'),
    )
    .map(([scheme, host, segments, params, tail]) => {
      const query = params === null ? '' : `?${params.map(([k, v]) => (v === null ? k : `${k}=${v}`)).join('&')}`;
      return `${scheme}://${host}/${segments.join('/')}${query}${tail}`;
    });

  it('gives a serialized URL handed in as text the normal form of parsing it first', () => {
    fc.assert(
      fc.property(hrefs, (text) => {
        let parsed: URL;
        try {
          parsed = new URL(text);
        } catch {
          expect(() => normalizeUrl(text)).toThrow();
          return;
        }
        // As a request's URL arrives: serialized by the URL parser, and also the raw text.
        expect(normalizeUrl(parsed.href)).toEqual(normalizeUrl(parsed));
        if (!/[A-Z]/.test(text.slice(0, text.indexOf('/', 8)))) expect(normalizeUrl(text)).toEqual(normalizeUrl(parsed));
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    'https://www.example.com/product/running/sku-1001?utm_source=x&color=red',
    'https://www.example.com/',
    'http://shop.example.co.uk/a/b.c/',
    'https://localhost/p?',
    'http://127.0.0.1:49152/category/running?seg=vip',
  ])('reads the common URL %s from its text as the parser does', (text) => {
    expect(normalizeUrl(text)).toEqual(normalizeUrl(new URL(text)));
  });

  it('tells tracking names apart by one test as the full check does, for any ASCII name', () => {
    const known = fc.constantFrom('utm_', 'UTM_Source', 'utm', 'gclid', 'GCLID', 'gclidx', '_ga', '_GA', '__preview', 'li_fat_id', 'msclkid', 'x');
    fc.assert(
      fc.property(fc.array(fc.oneof(known, fc.string({ unit: fc.integer({ min: 0, max: 127 }).map((c) => String.fromCharCode(c)), maxLength: 3 })), { maxLength: 3 }), (parts) => {
        const name = parts.join('');
        expect(isTrackingAsciiName(name)).toBe(isTrackingParameter(name));
      }),
      { numRuns: 3000 },
    );
  });
});
