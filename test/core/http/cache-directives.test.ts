import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cacheDirectives, directives, fromParsed, plainDirectives, type CacheDirectives } from '../../../src/core/http/cache-directives.ts';

const viaFullParser = (value: string | null): CacheDirectives => fromParsed(directives(value));

const FLAGS = ['public', 'must-revalidate', 'immutable', 'content="ESI/1.0"'];
const NUMBERED = ['max-age', 's-maxage', 'stale-while-revalidate', 'stale-if-error'];
const ODD_NAMES = ['private', 'no-store', 'no-cache', 'Max-Age', 'S-MAXAGE', 'max-ag', 's-max-age', 'maxage', 'content', 'content="max-age=5"', 'content="ESI/1.0, max-age=7"', 'content=ESI/1.0', ...FLAGS, ...NUMBERED];
const PLAIN_NUMBERS = ['0', '60', '007', '3600', '123456789'];
const ODD_NUMBERS = ['1234567890', '-1', '1.5', '"60"', '6 0', '', '1e3', ' 60', '60 '];
const PLAIN_GLUE = [', ', ',', ' ,', ' , '];
const ODD_GLUE = [',,', ', , ', '  ,', ',  ', '\t,', ',\u00a0', '; '];

/** Mostly the plain tokens origins send, now and then an odd one, so both paths are exercised. */
const pick = (plain: string[], odd: string[]) => fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...plain) }, { weight: 1, arbitrary: fc.constantFrom(...odd) });
const directive = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...FLAGS) },
  { weight: 8, arbitrary: fc.tuple(fc.constantFrom(...NUMBERED), pick(PLAIN_NUMBERS, ODD_NUMBERS)).map(([name, n]) => `${name}=${n}`) },
  { weight: 1, arbitrary: fc.constantFrom(...ODD_NAMES) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...ODD_NAMES), fc.constantFrom(...PLAIN_NUMBERS, ...ODD_NUMBERS)).map(([name, n]) => `${name}=${n}`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);
const headerValue = fc
  .tuple(fc.array(fc.tuple(directive, pick(PLAIN_GLUE, ODD_GLUE)), { minLength: 1, maxLength: 5 }), fc.integer({ min: 0, max: 7 }).map((n) => n === 0), fc.constantFrom('', '', '', ' ', ','))
  .map(([parts, leadingSpace, tail]) => (leadingSpace ? ' ' : '') + parts.map(([d, glue], i) => (i === 0 ? d : glue + d)).join('') + tail);

describe('cacheDirectives', () => {
  it('reads every generated header value exactly as the full parser does, fast path or not', () => {
    let fast = 0;
    fc.assert(
      fc.property(headerValue, (value) => {
        const plain = plainDirectives(value);
        if (plain !== null) {
          fast++;
          expect(plain).toEqual(viaFullParser(value));
        }
        expect(cacheDirectives(value)).toEqual(viaFullParser(value));
      }),
      { numRuns: 3000 },
    );
    // The generator must reach the fast path often, or the comparison above proves little.
    expect(fast).toBeGreaterThan(300);
  });

  it.each([
    ['public, max-age=60', { maxAge: 60, sMaxage: null, staleWhileRevalidate: null }],
    ['max-age=3600, stale-while-revalidate=3600', { maxAge: 3600, sMaxage: null, staleWhileRevalidate: 3600 }],
    ['s-maxage=30,max-age=10', { maxAge: 10, sMaxage: 30, staleWhileRevalidate: null }],
    ['max-age=5, max-age=9', { maxAge: 5, sMaxage: null, staleWhileRevalidate: null }],
    ['content="ESI/1.0", max-age=3600, stale-while-revalidate=3600', { maxAge: 3600, sMaxage: null, staleWhileRevalidate: 3600 }],
  ])('takes the fast path for the plain value %s', (value, expected) => {
    expect(plainDirectives(value)).toEqual({ isPrivate: false, noStore: false, noCache: false, ...expected });
  });

  it.each([
    ['private, max-age=60'],
    ['no-store'],
    ['Max-Age=60'],
    ['max-age="60"'],
    ['max-age=1234567890'],
    ['content="max-age=5", max-age=60'],
    [' max-age=60'],
    [''],
    [`public, ${'max-age=1, '.repeat(120)}max-age=2`],
  ])('leaves %.40j to the full parser', (value) => {
    expect(plainDirectives(value)).toBeNull();
  });

  it('reads a value again the same after many others were read', () => {
    const first = cacheDirectives('max-age=60, private');
    for (let i = 0; i < 200; i++) cacheDirectives(`max-age=${i}`);
    expect(cacheDirectives('max-age=60, private')).toEqual(first);
    expect(first).toMatchObject({ isPrivate: true, maxAge: 60 });
  });

  it('reads an overlong value as the full parser does, also when asked again', () => {
    const value = `max-age=5, ${'x'.repeat(300)}`;
    expect(cacheDirectives(value)).toEqual(viaFullParser(value));
    expect(cacheDirectives(value)).toMatchObject({ maxAge: 5 });
  });

  it('reads an absent header as no directives', () => {
    expect(cacheDirectives(null)).toEqual({ isPrivate: false, noStore: false, noCache: false, maxAge: null, sMaxage: null, staleWhileRevalidate: null });
  });
});
