import { describe, expect, it } from 'vitest';
import { MAX_COOKIE_HEADER_CHARS, MAX_COOKIE_PAIRS, parseCookieHeader } from '../../../src/core/visitor/cookie-header.ts';

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
