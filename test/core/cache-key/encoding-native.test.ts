/**
 * normalizeEncoding's native form (encodeURIComponent and `split`/`join`, encoding-normalize.ts)
 * gives exactly what the character loop gives, in a path segment and a query part, for any mix of
 * escapes (upper and lower case, stray, unreserved, `%25`), reserved and raw characters, non-ASCII
 * and lone surrogates; and a client's long escaped query in full.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normalizeEncoding, PATH_RAW, QUERY_RAW } from '../../../src/core/cache-key/encoding-normalize.ts';

const HEX = '0123456789ABCDEF';
const isHex = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isUnreserved = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 95 || c === 126;

/** The loop as it was before the native form: one character at a time. */
function loopForm(text: string, raw: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '%' && isHex(text.charCodeAt(i + 1)) && isHex(text.charCodeAt(i + 2))) {
      const byte = parseInt(text.slice(i + 1, i + 3), 16);
      out += isUnreserved(byte) ? String.fromCharCode(byte) : `%${HEX[byte >> 4]!}${HEX[byte & 15]!}`;
      i += 2;
    } else if (isUnreserved(char.charCodeAt(0)) || raw.includes(char)) {
      out += char;
    } else {
      const code = text.codePointAt(i) ?? 0xfffd;
      const bytes = new TextEncoder().encode(code >= 0xd800 && code <= 0xdfff ? '\ufffd' : String.fromCodePoint(code));
      for (const byte of bytes) out += `%${HEX[byte >> 4]!}${HEX[byte & 15]!}`;
      if (char.charCodeAt(0) >= 0xd800 && char.charCodeAt(0) <= 0xdbff && i + 1 < text.length) i++;
    }
  }
  return out;
}

const piece = fc.constantFrom(
  '%', '%2', '%24', '%2B', '%2b', '%25', '%2525', '%3C', '%3c', '%41', '%7E', '%7e', '%2D', '%5F', '%30', '%FF', '%E2%82%AC', '%zz',
  'a', 'Z', '9', '-', '.', '_', '~', '!', "'", '(', ')', '*', '$', '&', '+', ',', ';', '=', ':', '@', '/', '?', '#', ' ', '"', '<', '[', '^', '|',
  'é', '€', '😀', '\ud800', '\udfff', '\u0000', '\u007f', '2', '5', 'B',
);
const text = fc.array(piece, { maxLength: 16 }).map((parts) => parts.join(''));

describe('normalizeEncoding native form', () => {
  for (const [name, raw] of [['path', PATH_RAW], ['query', QUERY_RAW]] as const) {
    it(`gives what the loop gives in a ${name}`, () => {
      fc.assert(fc.property(text, (value) => normalizeEncoding(value, raw) === loopForm(value, raw)), { numRuns: 5000 });
      fc.assert(fc.property(fc.string({ unit: 'binary' }), (value) => normalizeEncoding(value, raw) === loopForm(value, raw)), { numRuns: 500 });
      for (const value of ['', '%', "'", "%3C'%3C'", '%2524', '%25%27', "%25'", '$%24', 'a%2Fb/c', '%E2%82%AC€']) {
        expect(normalizeEncoding(value, raw), value).toBe(loopForm(value, raw));
      }
    });
  }

  it('normalizes a client query value of 2,600 escaped `<` and quotes in full', () => {
    const value = encodeURIComponent(`<'`.repeat(2600));
    expect(normalizeEncoding(value, QUERY_RAW)).toBe('%3C%27'.repeat(2600));
    expect(normalizeEncoding(value, PATH_RAW)).toBe(`%3C'`.repeat(2600));
  });
});
