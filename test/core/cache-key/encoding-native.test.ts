/**
 * normalizeEncoding (encoding-normalize.ts) has two forms: the character loop, which reads any text,
 * and the native form (encodeURIComponent and `split`/`join`), taken whenever every `%` starts an
 * escape that stays. Known pairs (RFC 3986 §2 and §6.2.2) pin what both give; the native form gives
 * exactly what the loop gives for any mix of escapes (upper and lower case, stray, unreserved, `%25`),
 * reserved and raw characters, non-ASCII and lone surrogates, and it does not give up on the text
 * it is for (a client's long escaped query included).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loopForm, nativeForm, normalizeEncoding, PATH_RAW, QUERY_RAW } from '../../../src/core/cache-key/encoding-normalize.ts';

/** [text, its normal form in a path segment, in a query part], written out by hand. */
const KNOWN: ReadonlyArray<readonly [string, string, string]> = [
  ['%7Euser', '~user', '~user'], // RFC 3986 §6.2.2.2: an unreserved character's escape is decoded
  ['%41%2d%5f%2E%30', 'A-_.0', 'A-_.0'],
  ['a%2fb%3a', 'a%2Fb%3A', 'a%2Fb%3A'], // §6.2.2.1: uppercase hex
  ['100%', '100%25', '100%25'], // a stray `%`
  ['%zz%2', '%25zz%252', '%25zz%252'],
  ['%2524', '%2524', '%2524'], // an escaped `%` stays escaped
  ['a b', 'a%20b', 'a%20b'],
  ['a+b', 'a+b', 'a+b'], // `+` is not `%20` to every origin
  ["it's", "it's", 'it%27s'], // raw in a path, escaped in a query
  ['a&b=c;d', 'a&b=c;d', 'a%26b%3Dc%3Bd'],
  ['a/b?c', 'a%2Fb%3Fc', 'a/b?c'],
  ['<|>', '%3C%7C%3E', '%3C%7C%3E'],
  ['é€😀', '%C3%A9%E2%82%AC%F0%9F%98%80', '%C3%A9%E2%82%AC%F0%9F%98%80'], // §2.5: UTF-8
  ['a\udfffb\ud800', 'a%EF%BF%BDb%EF%BF%BD', 'a%EF%BF%BDb%EF%BF%BD'], // a lone surrogate is U+FFFD
  ['a\ud800b\ud800\ud83d\ude00', 'a%EF%BF%BDb%EF%BF%BD%F0%9F%98%80', 'a%EF%BF%BDb%EF%BF%BD%F0%9F%98%80'], // and takes nothing after it
];

const SETS = [['path', PATH_RAW, 1], ['query', QUERY_RAW, 2]] as const;

/** Escapes the native form keeps as they are, and characters of every kind it escapes or keeps. */
const kept = [
  '%24', '%2B', '%25', '%2525', '%3C', '%FF', '%E2%82%AC', '%00',
  'a', 'Z', '9', '-', '.', '_', '~', '!', "'", '(', ')', '*', '$', '&', '+', ',', ';', '=', ':', '@', '/', '?', '#', ' ', '"', '<', '[', '^', '|',
  'é', '€', '😀', '\u0000', '\u007f', '2', '5', 'B',
];
/** What the native form leaves to the loop: escapes it would change, stray `%`, lone surrogates. */
const odd = ['%', '%2', '%2b', '%3c', '%41', '%7E', '%7e', '%2D', '%5F', '%30', '%zz', '\ud800', '\udfff'];
const textOf = (pieces: string[]) => fc.array(fc.constantFrom(...pieces), { maxLength: 16 }).map((parts) => parts.join(''));

describe('normalizeEncoding', () => {
  for (const [name, raw, column] of SETS) {
    it(`gives the known normal forms in a ${name}`, () => {
      for (const row of KNOWN) {
        expect(loopForm(row[0], raw), row[0]).toBe(row[column]);
        expect(normalizeEncoding(row[0], raw), row[0]).toBe(row[column]);
      }
    });

    it(`gives what the loop gives in a ${name}, by its native form where it can`, () => {
      fc.assert(fc.property(textOf([...kept, ...odd]), (value) => {
        const native = nativeForm(value, raw);
        return (native === null || native === loopForm(value, raw)) && normalizeEncoding(value, raw) === loopForm(value, raw);
      }), { numRuns: 5000 });
      fc.assert(fc.property(fc.string({ unit: 'binary' }), (value) => normalizeEncoding(value, raw) === loopForm(value, raw)), { numRuns: 500 });
    });

    it(`takes the native form in a ${name} whenever every escape stays as it is`, () => {
      fc.assert(fc.property(textOf(kept), (value) => nativeForm(value, raw) === loopForm(value, raw)), { numRuns: 2000 });
      for (const value of ['', "'", "%3C'%3C'", '%2524', '%25%27', "%25'", '$%24', 'a%2Fb/c', '%E2%82%AC€']) {
        expect(nativeForm(value, raw), value).toBe(loopForm(value, raw));
      }
    });
  }

  it('normalizes a client query value of 2,600 escaped `<` and quotes in full, natively', () => {
    const value = encodeURIComponent(`<'`.repeat(2600));
    expect(nativeForm(value, QUERY_RAW)).toBe('%3C%27'.repeat(2600));
    expect(normalizeEncoding(value, QUERY_RAW)).toBe('%3C%27'.repeat(2600));
    expect(normalizeEncoding(value, PATH_RAW)).toBe(`%3C'`.repeat(2600));
  });
});
