import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rankCompact } from '../../../src/core/recs/rank-compact.ts';
import { renderCompactDocument } from '../../../src/core/recs/compact-writer.ts';
import { rankDocument } from '../../../src/core/recs/rank-document.ts';
import { MAX_CANDIDATE_BYTES } from '../../../src/core/recs/candidate-document.ts';
import { DOC, encode, item, signals, visitorsOf } from './recs-fixtures.ts';
import { BAD_COMPACT, empties, framed, withHead } from './compact-fixtures.ts';

const encoder = new TextEncoder();
const categories = fc.constantFrom('running', 'outdoor', 'shoes', 'jackets', 'constructor', '__proto__', '');
const ids = fc.constantFrom(...Array.from({ length: 30 }, (_, index) => `sku-${index}`));
// Few distinct scores, so ties (broken by the publisher's order in both formats) are common.
const scores = fc.oneof(fc.constantFrom(0, 0.5, 1, -1), fc.double({ min: -1, max: 10, noNaN: true }));
const documents = fc.record({
  before: fc.string(),
  after: fc.string(),
  items: fc.array(fc.record({ id: ids, category: categories, score: scores, html: fc.oneof(fc.constant(''), fc.string(), fc.string({ unit: 'grapheme' })) }), { maxLength: 60 }),
});
const visitors = visitorsOf(categories, ids);
const requests = fc.record({ count: fc.integer({ min: -5, max: 300 }), exclude: fc.array(ids, { maxLength: 5 }), maxPerCategory: fc.integer({ min: 0, max: 5 }) });
const REQUEST = { count: 4, exclude: [], maxPerCategory: 2 };

describe('ranking a compact candidate document', () => {
  it('gives the same bytes and ids as ranking the JSON document it was written from', () => {
    fc.assert(
      fc.property(documents, visitors, requests, (doc, visitor, request) => {
        const expected = rankDocument(encode(doc), visitor, request);
        const ranked = rankCompact(renderCompactDocument(doc.before, doc.after, doc.items), visitor, request);
        expect(ranked.ok && { body: ranked.body, ids: ranked.ids }).toEqual(expected.ok && { body: encoder.encode(expected.html), ids: expected.ids });
      }),
      { numRuns: 500 },
    );
  });

  it('ranks the runner fixture for an outdoor visitor like the JSON document', () => {
    const visitor = signals({ sessionCategories: ['outdoor'], purchased: ['o1'] });
    const request = { count: 4, exclude: ['r1'], maxPerCategory: 2 };
    const ranked = rankCompact(renderCompactDocument(DOC.before, DOC.after, DOC.items), visitor, request);
    expect(ranked.ok && new TextDecoder().decode(ranked.body)).toBe('<ul class="recs"><li data-item="o2">o2</li><li data-item="o3">o3</li><li data-item="r2">r2</li><li data-item="r3">r3</li></ul>');
  });

  it('copies item bytes verbatim, ESI markup and non-ASCII included', () => {
    const html = '<li>£ <esi:include src="/x"/> $(SEGMENT)</li>';
    const ranked = rankCompact(renderCompactDocument('<ul>', '</ul>', [{ id: 'a', category: 'c', score: 1, html }]), null, REQUEST);
    expect(ranked.ok && new TextDecoder().decode(ranked.body)).toBe(`<ul>${html}</ul>`);
  });
});

describe('a malformed compact candidate document', () => {
  it.each(BAD_COMPACT)('is refused with a reason when it is $name, whatever the count', ({ body }) => {
    for (const count of [1, 200]) {
      const ranked = rankCompact(encode(body), signals({ sessionCategories: ['x'] }), { count, exclude: [], maxPerCategory: 2 });
      expect(ranked.ok ? 'accepted' : ranked.reason).toMatch(/^compact candidate document: /);
    }
  });

  it('is not refused for decreasing offsets of an item it does not show, whose bytes it never copies', () => {
    const body = withHead({ offsets: '[0,8,4,10]', groups: '[["x",["a","b","c"],[2,1,1],[0,1,2]]]' });
    const ranked = rankCompact(encode(body), null, { count: 1, exclude: [], maxPerCategory: 2 });
    expect(ranked.ok && new TextDecoder().decode(ranked.body)).toBe('<li>x</l');
  });

  it('is accepted at exactly 200 items and 256 KiB, the caps being inclusive', () => {
    expect(rankCompact(encode(empties(200, 150)), null, REQUEST).ok).toBe(true);
    const head = (size: number) => `{"before":"","after":"","offsets":[0,${size}],"groups":[["x",["a"],[1],[0]]]}`;
    const overhead = framed(head(MAX_CANDIDATE_BYTES), '').length;
    const body = encode(framed(head(MAX_CANDIDATE_BYTES - overhead), 'x'.repeat(MAX_CANDIDATE_BYTES - overhead)));
    expect(body.length).toBe(MAX_CANDIDATE_BYTES);
    expect(rankCompact(body, null, REQUEST).ok).toBe(true);
  });

  it('ranks a document with items of every category as the JSON cap allows', () => {
    const list = Array.from({ length: 200 }, (_, i) => item(`i${i}`, `c${i}`, 1 - i / 1000));
    const ranked = rankCompact(renderCompactDocument('', '', list), null, { count: 999, exclude: [], maxPerCategory: 2 });
    expect(ranked.ok && ranked.ids.length).toBe(200);
  });
});
