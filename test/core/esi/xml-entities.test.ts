/** XML entity decoding of ESI attribute values (XML 1.0 §4.6): each reference decoded once, left to right. */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { decodeXmlEntities } from '../../../src/core/esi/xml-entities.ts';

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** An independent reading of the same rule: a reference is `&` and at most nine characters other than `&`/`;`, then `;`. */
function reference(value: string): string {
  return value.replace(/&([^&;]{0,9});/g, (whole, body: string) => {
    if (Object.hasOwn(NAMED, body)) return NAMED[body]!;
    const numeric = /^#(?:([0-9]+)|[xX]([0-9a-fA-F]+))$/.exec(body);
    if (numeric === null) return whole;
    const code = numeric[1] !== undefined ? Number.parseInt(numeric[1], 10) : Number.parseInt(numeric[2]!, 16);
    return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : whole;
  });
}

it.each([
  ['/a?x=1&amp;y=2', '/a?x=1&y=2'],
  ['&amp;&amp;', '&&'],
  ['&amp;lt;', '&lt;'],
  ['&&amp;', '&&'],
  ['&amp;&lt;', '&<'],
  ['&#38;amp;', '&amp;'],
  ['&amp', '&amp'],
  ['&bogus;&amp;', '&bogus;&'],
])('decodes %j as %j', (value, expected) => {
  expect(decodeXmlEntities(value)).toBe(expected);
});

it('decodes every value as the reference reading does, once and left to right', () => {
  const part = fc.constantFrom('&amp;', '&', 'amp;', 'lt;', '&lt;', '&#38;', '&#x26;', '#', 'a', ';', '&#0;', '&#xD800;');
  fc.assert(
    fc.property(fc.array(part, { maxLength: 8 }), (parts) => {
      const value = parts.join('');
      expect(decodeXmlEntities(value)).toBe(reference(value));
    }),
    { numRuns: 2000 },
  );
});
