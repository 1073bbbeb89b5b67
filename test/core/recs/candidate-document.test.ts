import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_CANDIDATE_BYTES, parseCandidateDocument } from '../../../src/core/recs/candidate-document.ts';
import { rankDocument } from '../../../src/core/recs/rank-document.ts';
import { DOC, encode, item } from './recs-fixtures.ts';

describe('parseCandidateDocument', () => {
  it('parses a well-formed document', () => {
    const parsed = parseCandidateDocument(encode(DOC));
    expect(parsed.ok && parsed.document.items.map((entry) => entry.id)).toEqual(DOC.items.map((entry) => entry.id));
  });

  it.each([
    { name: 'not JSON', body: encode('<ul>not json</ul>'), reason: 'not JSON' },
    { name: 'a JSON array', body: encode([]), reason: 'wrong shape' },
    { name: 'items missing', body: encode({ before: '', after: '' }), reason: 'wrong shape' },
    { name: 'before not a string', body: encode({ before: 1, after: '', items: [] }), reason: 'wrong shape' },
    { name: 'an item without html', body: encode({ before: '', after: '', items: [{ id: 'a', category: 'x', score: 1 }] }), reason: 'wrong shape' },
    { name: 'an item with a string score', body: encode({ before: '', after: '', items: [{ id: 'a', category: 'x', score: '1', html: '' }] }), reason: 'wrong shape' },
    { name: 'an item with an empty id', body: encode({ before: '', after: '', items: [{ id: '', category: 'x', score: 1, html: '' }] }), reason: 'wrong shape' },
    { name: '201 items', body: encode({ before: '', after: '', items: Array.from({ length: 201 }, (_, index) => item(`i${index}`, 'x', 1)) }), reason: 'over 200 items' },
    { name: 'over 256 KiB', body: encode({ before: 'x'.repeat(MAX_CANDIDATE_BYTES), after: '', items: [] }), reason: 'over 262144 bytes' },
  ])('fails a document that is $name', ({ body, reason }) => {
    const parsed = parseCandidateDocument(body);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toContain(reason);
  });

  it('accepts exactly 200 items', () => {
    const body = encode({ before: '', after: '', items: Array.from({ length: 200 }, (_, index) => item(`i${index}`, 'x', 1)) });
    expect(parseCandidateDocument(body).ok).toBe(true);
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
