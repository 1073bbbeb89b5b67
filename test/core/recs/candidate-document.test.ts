import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_CANDIDATE_BYTES, parseCandidateDocument } from '../../../src/core/recs/candidate-document.ts';
import { rankDocument } from '../../../src/core/recs/rank-document.ts';
import { DOC, encode, item, signals } from './recs-fixtures.ts';

const BAD_DOCUMENTS = [
  { name: 'not JSON', body: encode('<ul>not json</ul>'), reason: 'not JSON' },
  { name: 'a JSON array', body: encode([]), reason: 'wrong shape' },
  { name: 'items missing', body: encode({ before: '', after: '' }), reason: 'wrong shape' },
  { name: 'before not a string', body: encode({ before: 1, after: '', items: [] }), reason: 'wrong shape' },
  { name: 'an item without html', body: encode({ before: '', after: '', items: [{ id: 'a', category: 'x', score: 1 }] }), reason: 'wrong shape' },
  { name: 'an item with a string score', body: encode({ before: '', after: '', items: [{ id: 'a', category: 'x', score: '1', html: '' }] }), reason: 'wrong shape' },
  { name: 'a null item', body: encode({ before: '', after: '', items: [item('a', 'x', 1), null] }), reason: 'wrong shape' },
  { name: 'an item that is a string', body: encode({ before: '', after: '', items: ['a'] }), reason: 'wrong shape' },
  { name: 'an item with an infinite score', body: encode('{"before":"","after":"","items":[{"id":"a","category":"x","score":1e999,"html":""}]}'), reason: 'wrong shape' },
  { name: 'an item with a numeric category', body: encode({ before: '', after: '', items: [{ id: 'a', category: 1, score: 1, html: '' }] }), reason: 'wrong shape' },
  { name: 'an item with an empty id', body: encode({ before: '', after: '', items: [{ id: '', category: 'x', score: 1, html: '' }] }), reason: 'wrong shape' },
  { name: '201 items', body: encode({ before: '', after: '', items: Array.from({ length: 201 }, (_, index) => item(`i${index}`, 'x', 1)) }), reason: 'over 200 items' },
  { name: 'over 256 KiB', body: encode({ before: 'x'.repeat(MAX_CANDIDATE_BYTES), after: '', items: [] }), reason: 'over 262144 bytes' },
];

describe('parseCandidateDocument', () => {
  it('parses a well-formed document', () => {
    const parsed = parseCandidateDocument(encode(DOC));
    expect(parsed.ok && parsed.document.items.map((entry) => entry.id)).toEqual(DOC.items.map((entry) => entry.id));
  });

  it.each(BAD_DOCUMENTS)('fails a document that is $name', ({ body, reason }) => {
    const parsed = parseCandidateDocument(body);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toContain(reason);
  });

  it.each(BAD_DOCUMENTS.flatMap((bad) => [4, 0].map((count) => ({ ...bad, count }))))('fails the ranked include of a document that is $name, asked for $count', ({ body, reason, count }) => {
    const ranked = rankDocument(body, signals({ sessionCategories: ['x'] }), { count, exclude: [], maxPerCategory: 2 });
    expect(ranked.ok).toBe(false);
    expect(!ranked.ok && ranked.reason).toContain(reason);
  });

  it('accepts exactly 200 items', () => {
    const body = encode({ before: '', after: '', items: Array.from({ length: 200 }, (_, index) => item(`i${index}`, 'x', 1)) });
    expect(parseCandidateDocument(body).ok).toBe(true);
  });

  it('ranks exactly the documents it parses', () => {
    const items = fc.array(fc.oneof(fc.record({ id: fc.string({ maxLength: 2 }), category: fc.string({ maxLength: 1 }), score: fc.double(), html: fc.string({ maxLength: 3 }) }), fc.jsonValue()), { maxLength: 5 });
    fc.assert(
      fc.property(fc.record({ before: fc.string(), after: fc.string(), items }), fc.integer({ min: 0, max: 3 }), (doc, count) => {
        const bytes = encode(doc);
        expect(rankDocument(bytes, null, { count, exclude: [], maxPerCategory: 2 }).ok).toBe(parseCandidateDocument(bytes).ok);
      }),
    );
  });

  it('never throws on arbitrary bytes or JSON', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.json().map(encode)), (bytes) => {
        const ranked = rankDocument(bytes, null, { count: 4, exclude: [], maxPerCategory: 2 });
        expect(typeof ranked.ok).toBe('boolean');
      }),
    );
  });
});
