/**
 * The attributes of a well-formed ESI tag, read by one sticky match per attribute: every name and
 * value as written (entities decoded), in either quote style and any XML whitespace, and null when
 * a name repeats.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseOpenTag, wellFormedAttributes } from '../../../src/core/esi/esi-tag-parser.ts';
import { decodeXmlEntities } from '../../../src/core/esi/xml-entities.ts';

const space = fc.constantFrom(' ', '  ', '\t', '\n', '\r\n ');
const gap = fc.constantFrom('', ' ', '\t');
const name = fc.constantFrom('src', 'alt', 'onerror', 'timeout', 'rank', 'a.b', 'x-1');
const value = fc.array(fc.constantFrom('a', '/', '?', '=', '&amp;', '&lt;', '&#65;', '&bogus;', '&', ' ', '"', "'", '$(SEGMENT)'), { maxLength: 6 }).map((parts) => parts.join(''));
const attribute = fc.record({ space, name, before: gap, after: gap, value });

describe('well-formed tag attributes', () => {
  it('reads every attribute as written, or null when a name repeats', () => {
    fc.assert(
      fc.property(fc.array(attribute, { maxLength: 5 }), (attributes) => {
        const written = attributes.map((a) => {
          const quote = a.value.includes('"') ? "'" : '"';
          return { ...a, value: a.value.replaceAll(quote, ''), quote };
        });
        const source = written.map((a) => `${a.space}${a.name}${a.before}=${a.after}${a.quote}${a.value}${a.quote}`).join('');
        const names = written.map((a) => a.name);
        const expected = new Set(names).size < names.length ? null : new Map(written.map((a) => [a.name, decodeXmlEntities(a.value)]));
        expect(wellFormedAttributes(source)).toEqual(expected);
        expect(parseOpenTag(`<esi:include${source}/>`).attributes).toEqual(expected ?? null);
      }),
      { numRuns: 1000 },
    );
  });

  it('shares one empty map between tags without attributes', () => {
    expect(wellFormedAttributes('')).toBe(wellFormedAttributes(''));
    expect(wellFormedAttributes('')?.size).toBe(0);
  });
});
