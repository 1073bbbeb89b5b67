import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rankCompact, renderCompact } from '../../bench/recs-compact-format.ts';
import { rankDocument } from '../../src/core/recs/rank-document.ts';
import { DOC, encode, signals, visitorsOf } from '../core/recs/recs-fixtures.ts';

const decoder = new TextDecoder();
const categories = fc.constantFrom('running', 'outdoor', 'shoes', 'jackets', 'constructor');
const ids = fc.constantFrom(...Array.from({ length: 30 }, (_, index) => `sku-${index}`));
const documents = fc.record({
  before: fc.string(),
  after: fc.string(),
  // Non-empty markup: the prototype breaks ties between categories by an item's place in the HTML section.
  items: fc.array(fc.record({ id: ids, category: categories, score: fc.double({ min: -1, max: 10, noNaN: true }), html: fc.string({ minLength: 1 }) }), { maxLength: 40 }),
});
const visitors = visitorsOf(categories, ids);
const requests = fc.record({ count: fc.integer({ min: -5, max: 300 }), exclude: fc.array(ids, { maxLength: 5 }), maxPerCategory: fc.integer({ min: 0, max: 5 }) });

describe('the compact candidate format prototype', () => {
  it('ranks exactly like the JSON candidate document it was rendered from', () => {
    fc.assert(
      fc.property(documents, visitors, requests, (doc, visitor, request) => {
        const expected = rankDocument(encode(doc), visitor, request);
        const ranked = rankCompact(renderCompact(doc.before, doc.after, doc.items), visitor, request.exclude, request.count, request.maxPerCategory);
        expect(expected.ok && ranked !== null && decoder.decode(ranked)).toBe(expected.ok && expected.html);
      }),
    );
  });

  it('ranks the fixture for a runner like the JSON document', () => {
    const visitor = signals({ sessionCategories: ['outdoor'], purchased: ['o1'] });
    const ranked = rankCompact(renderCompact(DOC.before, DOC.after, DOC.items), visitor, ['r1'], 4, 2);
    const expected = rankDocument(encode(DOC), visitor, { count: 4, exclude: ['r1'], maxPerCategory: 2 });
    expect(ranked && decoder.decode(ranked)).toBe(expected.ok && expected.html);
  });

  const good = renderCompact(DOC.before, DOC.after, DOC.items);
  const text = decoder.decode(good);
  const head = text.slice(text.indexOf('\n') + 1, text.indexOf('\n', text.indexOf('\n') + 1));
  const framed = (json: string, html = '<li>x</li>'): Uint8Array => encode(`${json.length}\n${json}\n${html}`);
  it.each([
    { name: 'empty', body: new Uint8Array(0) },
    { name: 'a JSON candidate document', body: encode(DOC) },
    { name: 'truncated', body: good.slice(0, 40) },
    { name: 'a length past the end', body: encode(`99999\n${head}\n`) },
    { name: 'a head that is not JSON', body: framed('{"before":') },
    { name: 'a head without groups', body: framed('{"before":"","after":""}') },
    { name: 'an item past the HTML section', body: framed('{"before":"","after":"","groups":[["x",[["a",1,0,999]]]]}') },
    { name: 'an item with an empty id', body: framed('{"before":"","after":"","groups":[["x",[["",1,0,4]]]]}') },
    { name: 'an empty group', body: framed('{"before":"","after":"","groups":[["x",[]]]}') },
    { name: 'a null group', body: framed('{"before":"","after":"","groups":[null]}') },
    { name: 'over 256 KiB', body: new Uint8Array(256 * 1024 + 1) },
  ])('rejects $name without throwing', ({ body }) => {
    expect(rankCompact(body, null, [], 4, 2)).toBeNull();
  });
});
