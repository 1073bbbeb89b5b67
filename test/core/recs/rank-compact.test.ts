import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rankCompact } from '../../../src/core/recs/rank-compact.ts';
import { renderCompactDocument } from '../../../src/core/recs/compact-writer.ts';
import { rankDocument } from '../../../src/core/recs/rank-document.ts';
import { MAX_CANDIDATE_BYTES } from '../../../src/core/recs/candidate-document.ts';
import { DOC, encode, item, signals, visitorsOf } from './recs-fixtures.ts';

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

const good = new TextDecoder().decode(renderCompactDocument(DOC.before, DOC.after, DOC.items));
const goodHead = good.slice(good.indexOf('\n') + 1, good.indexOf('\n', good.indexOf('\n') + 1));
/** A document framed correctly around `head`, its HTML section `html`. */
const framed = (head: string, html = '<li>x</li>'): string => `${encoder.encode(head).length}\n${head}\n${html}`;
const withGroups = (groups: string, html?: string): string => framed(`{"before":"","after":"","groups":${groups}}`, html);
const entries = (n: number): string => `[${Array.from({ length: n }, (_, i) => `["i${i}",1,${i},0,0]`).join(',')}]`;

/** Every way a compact document can be malformed: each is a failed include, never a throw. */
export const BAD_COMPACT = [
  { name: 'empty', body: '' },
  { name: 'a JSON candidate document', body: JSON.stringify(DOC) },
  { name: 'truncated inside the head', body: good.slice(0, 40) },
  { name: 'without a newline after the length', body: `12${goodHead}` },
  { name: 'a length with a sign', body: `+${framed(goodHead)}` },
  { name: 'a length with a leading zero', body: `0${framed(goodHead)}` },
  { name: 'a length past the end', body: `99999\n${goodHead}\n` },
  { name: 'a length one byte short of the head', body: `${goodHead.length - 1}\n${goodHead}\n<li>` },
  { name: 'no newline after the head', body: `${goodHead.length}\n${goodHead}` },
  { name: 'a head that is not JSON', body: framed('{"before":') },
  { name: 'a head that is a JSON array', body: framed('[]') },
  { name: 'a head without groups', body: framed('{"before":"","after":""}') },
  { name: 'a head with its keys in another order', body: framed('{"after":"","before":"","groups":[]}') },
  { name: 'a head with whitespace between tokens', body: framed('{"before": "","after":"","groups":[]}') },
  { name: 'a head with an extra key', body: framed('{"before":"","after":"","groups":[],"x":1}') },
  { name: 'before that is not a string', body: framed('{"before":1,"after":"","groups":[]}') },
  { name: 'a null group', body: withGroups('[null]') },
  { name: 'an empty group', body: withGroups('[["x",[]]]') },
  { name: 'a group whose category is not a string', body: withGroups('[[1,[["a",1,0,0,4]]]]') },
  { name: 'an entry with four fields', body: withGroups('[["x",[["a",1,0,4]]]]') },
  { name: 'an entry with an empty id', body: withGroups('[["x",[["",1,0,0,4]]]]') },
  { name: 'an entry whose id is a number', body: withGroups('[["x",[[7,1,0,0,4]]]]') },
  { name: 'an entry whose score is a string', body: withGroups('[["x",[["a","1",0,0,4]]]]') },
  { name: 'an entry whose score overflows to Infinity', body: withGroups('[["x",[["a",1e999,0,0,4]]]]') },
  { name: 'an entry with a negative offset', body: withGroups('[["x",[["a",1,0,-1,4]]]]') },
  { name: 'an entry with a fractional offset', body: withGroups('[["x",[["a",1,0,0.5,4]]]]') },
  { name: 'an entry that ends before it starts', body: withGroups('[["x",[["a",1,0,4,2]]]]') },
  { name: 'an entry past the HTML section', body: withGroups('[["x",[["a",1,0,0,11]]]]') },
  { name: 'a later entry past the HTML section', body: withGroups('[["x",[["a",1,0,0,4],["b",0.5,1,0,999]]]]') },
  { name: 'over 200 entries', body: withGroups(`[["x",${entries(150)}],["y",${entries(51)}]]`) },
  { name: 'over 256 KiB', body: withGroups('[["x",[["a",1,0,0,4]]]]', 'x'.repeat(MAX_CANDIDATE_BYTES)) },
];

describe('a malformed compact candidate document', () => {
  it.each(BAD_COMPACT)('is refused with a reason when it is $name', ({ body }) => {
    const ranked = rankCompact(encode(body), signals({ sessionCategories: ['x'] }), REQUEST);
    expect(ranked.ok ? 'accepted' : ranked.reason).toMatch(/^compact candidate document: /);
  });

  it('is accepted at exactly 200 entries and 256 KiB, the caps being inclusive', () => {
    const base = withGroups(`[["x",${entries(100)}],["y",${entries(100)}]]`, '');
    const body = encode(base + 'x'.repeat(MAX_CANDIDATE_BYTES - base.length));
    expect(body.length).toBe(MAX_CANDIDATE_BYTES);
    expect(rankCompact(body, null, REQUEST).ok).toBe(true);
  });

  it('ranks a document with items of every category as the JSON cap allows', () => {
    const list = Array.from({ length: 200 }, (_, i) => item(`i${i}`, `c${i}`, 1 - i / 1000));
    const ranked = rankCompact(renderCompactDocument('', '', list), null, { count: 999, exclude: [], maxPerCategory: 2 });
    expect(ranked.ok && ranked.ids.length).toBe(200);
  });
});
