import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_COOKIE_HEADER_CHARS, MAX_COOKIE_PAIRS, parseCookieHeader, readCookies } from '../../../src/core/visitor/cookie-header.ts';

describe('parseCookieHeader', () => {
  it.each([
    { name: 'a single pair', header: 'vid=abc', expected: { vid: 'abc' } },
    { name: 'pairs with spaces', header: ' a=1 ;  b = 2 ', expected: { a: '1', b: '2' } },
    { name: 'a quoted value', header: 'a="x y"', expected: { a: 'x y' } },
    { name: 'a value with =', header: 'a=b=c', expected: { a: 'b=c' } },
    { name: 'an empty value', header: 'a=', expected: { a: '' } },
    { name: 'a pair without =', header: 'junk; a=1', expected: { a: '1' } },
    { name: 'an empty name', header: '=x; a=1', expected: { a: '1' } },
    { name: 'trailing and repeated semicolons', header: 'a=1;;; b=2;', expected: { a: '1', b: '2' } },
    { name: 'a duplicate name (both dropped)', header: 'vid=a; x=1; vid=b', expected: { x: '1' } },
    { name: 'a name seen three times', header: 'vid=a; vid=b; vid=c', expected: {} },
    { name: 'CR/LF in a value', header: 'vid=a\r\nSet-Cookie: x=1; b=2', expected: { b: '2' } },
    { name: 'a NUL in a value', header: 'vid=a\u0000b; b=2', expected: { b: '2' } },
    { name: 'DEL in a value', header: 'vid=a\u007f', expected: {} },
    { name: 'a duplicate where one copy has CR', header: 'vid=a; vid=b\r', expected: {} },
    { name: 'no header', header: null, expected: {} },
  ])('parses $name', ({ header, expected }) => {
    expect(Object.fromEntries(parseCookieHeader(header))).toEqual(expected);
  });

  it('treats a header over the size cap as having no cookies at all', () => {
    const header = `vid=abc; big=${'x'.repeat(MAX_COOKIE_HEADER_CHARS)}`;
    expect(parseCookieHeader(header).size).toBe(0);
  });

  it('reads an 8 KB header that is just under the cap', () => {
    const header = `vid=abc; big=${'x'.repeat(MAX_COOKIE_HEADER_CHARS - 20)}`;
    expect(parseCookieHeader(header).get('vid')).toBe('abc');
  });

  it('treats thousands of pairs as having no cookies at all', () => {
    const header = `vid=abc;${Array.from({ length: 1000 }, (_, i) => `c${i}=1`).join(';')}`;
    expect(header.length).toBeLessThan(MAX_COOKIE_HEADER_CHARS);
    expect(parseCookieHeader(header).size).toBe(0);
  });

  it('accepts exactly the pair cap', () => {
    const header = Array.from({ length: MAX_COOKIE_PAIRS }, (_, i) => `c${i}=${i}`).join('; ');
    const cookies = parseCookieHeader(header);
    expect(cookies.size).toBe(MAX_COOKIE_PAIRS);
    expect(cookies.get(`c${MAX_COOKIE_PAIRS - 1}`)).toBe(String(MAX_COOKIE_PAIRS - 1));
  });

  it('treats 4000 bare semicolon-equals pairs as no cookies', () => {
    expect(parseCookieHeader(';='.repeat(4000)).size).toBe(0);
  });
});

describe('readCookies', () => {
  const NAMES = ['consent', 'vid', 'sess'];
  const piece = fc.oneof(
    fc.constantFrom('vid', 'sess', 'consent', 'vi', 'd', '=', ';', ' ', '\t', '\n', '\u00a0', '\u2028', '\u3000', '\ufeff', '\u0085', '\u200b', '"', '\x00', 'abc', 'a=b', '.', '$', '(', '\\', 'a.b', 'axb'),
    fc.string({ unit: 'binary', maxLength: 3 }),
  );
  // Names that are prefixes of one another, or hold RegExp syntax, must not shadow each other.
  it.each([[NAMES], [['vi', 'vid', 'd']], [['a.b', '$', 'vid']]])('reads each of %j exactly as parseCookieHeader does', (names) => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 16 }), (pieces) => {
        const header = pieces.join('');
        const full = parseCookieHeader(header);
        const narrow = readCookies(header, names);
        expect(names.map((name) => narrow.get(name))).toEqual(names.map((name) => full.get(name)));
        expect(narrow.size).toBe(names.filter((name) => full.has(name)).length);
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    { header: `${'x=1;'.repeat(MAX_COOKIE_PAIRS)}vid=abc`, expected: undefined },
    { header: `${'x=1;'.repeat(MAX_COOKIE_PAIRS - 2)}vid=abc`, expected: 'abc' },
    { header: `${'x=1;'.repeat(MAX_COOKIE_PAIRS - 1)}vid=abc`, expected: 'abc' },
    { header: `${';'.repeat(MAX_COOKIE_PAIRS)}vid=abc`, expected: undefined },
    { header: `vid=abc;${' '.repeat(MAX_COOKIE_HEADER_CHARS)}`, expected: undefined },
    { header: 'vid=abc; vid=abc', expected: undefined },
    { header: 'vid="abc"', expected: 'abc' },
    { header: 'vid=a\x7fb', expected: undefined },
    // Every character `trim` drops may surround a name; others (zero-width space, NEL) are part of it.
    { header: 'x=1;\ufeff vid\u3000=abc', expected: 'abc' },
    { header: '\u2028vid\u00a0=abc', expected: 'abc' },
    { header: '\u200bvid=abc', expected: undefined },
    { header: 'x=1;\u0085vid=abc', expected: undefined },
    { header: 'avid=1; vida=2; vid x=3', expected: undefined },
  ])('reads vid from $header.length characters as $expected', ({ header, expected }) => {
    expect(readCookies(header, ['vid']).get('vid')).toBe(expected);
    expect(parseCookieHeader(header).get('vid')).toBe(expected);
  });
});
