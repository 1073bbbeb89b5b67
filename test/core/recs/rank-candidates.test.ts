import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rankCandidates } from '../../../src/core/recs/rank-candidates.ts';
import type { CandidateDocument } from '../../../src/core/recs/candidate-document.ts';
import { hasSignals, rankSignalsFor, type RankSignals } from '../../../src/core/recs/rank-signals.ts';
import { DOC, item, signals, visitorsOf } from './recs-fixtures.ts';
import { referenceRank } from './reference-rank.ts';

const rank = (visitor: RankSignals | null, count = 4, exclude: string[] = [], maxPerCategory = 2): string[] =>
  rankCandidates(DOC, visitor, { count, exclude, maxPerCategory }).ids;

describe('rankCandidates', () => {
  it.each([
    { name: 'no visitor keeps the segment order, two per category', visitor: null, expected: ['r1', 'r2', 's1', 's2'] },
    { name: 'empty signals keep the segment order', visitor: signals({}), expected: ['r1', 'r2', 's1', 's2'] },
    { name: 'a session in outdoor puts outdoor first', visitor: signals({ sessionCategories: ['outdoor'] }), expected: ['o1', 'o2', 'r1', 'r2'] },
    { name: 'a strong jackets affinity lifts jackets to the top', visitor: signals({ affinities: { jackets: 1 } }), expected: ['j1', 'j2', 'r1', 'r2'] },
    { name: 'a weak outdoor affinity lifts outdoor above shoes', visitor: signals({ affinities: { outdoor: 0.4 } }), expected: ['r1', 'r2', 'o1', 's1'] },
    { name: 'recent profile categories lift theirs', visitor: signals({ recentCategories: ['outdoor'] }), expected: ['o1', 'r1', 'o2', 'r2'] },
    { name: 'recently viewed and purchased items are dropped', visitor: signals({ recentItems: ['r1'], purchased: ['s1'] }), expected: ['r2', 'r3', 's2', 's3'] },
  ])('$name', ({ visitor, expected }) => {
    expect(rank(visitor)).toEqual(expected);
  });

  it('drops excluded items and ignores unknown exclusions', () => {
    expect(rank(null, 4, ['r1', 'sku-unknown'])).toEqual(['r2', 'r3', 's1', 's2']);
  });

  it('caps a huge count at what the document and the per-category cap allow', () => {
    expect(rank(null, 1e9)).toEqual(['r1', 'r2', 's1', 's2', 'o1', 'o2', 'j1', 'j2']);
  });

  it('returns only the wrapper for a count of zero or below', () => {
    expect(rankCandidates(DOC, null, { count: -3, exclude: [], maxPerCategory: 2 }).html).toBe('<ul class="recs"></ul>');
  });

  it('inserts before, the chosen items html verbatim in order, then after', () => {
    const doc: CandidateDocument = { before: '<ol>', after: '</ol>', items: [item('a', 'x', 1), { id: 'b', category: 'y', score: 2, html: '<esi:include src="/x"/>' }] };
    expect(rankCandidates(doc, null, { count: 2, exclude: [], maxPerCategory: 2 }).html).toBe('<ol><esi:include src="/x"/><li data-item="a">a</li></ol>');
  });

  it('shows an id the document repeats once', () => {
    const doc: CandidateDocument = { before: '', after: '', items: [item('a', 'x', 1), item('a', 'y', 0.9), item('b', 'z', 0.5)] };
    expect(rankCandidates(doc, null, { count: 3, exclude: [], maxPerCategory: 2 }).ids).toEqual(['a', 'b']);
  });

  it('counts signals only with consent', () => {
    const profile = { affinities: { running: 0.9 }, recentCategories: ['running'] };
    expect(rankSignalsFor(false, profile, ['outdoor'])).toBeNull();
    expect(hasSignals(rankSignalsFor(true, profile, []))).toBe(true);
    expect(hasSignals(rankSignalsFor(true, null, []))).toBe(false);
    // Null is the one "rank by segment" value that $(RANKING) and the ranked include read as it is.
    expect(rankSignalsFor(true, { affinities: {}, recentCategories: [] }, [])).toBeNull();
  });
});

const categories = fc.constantFrom('running', 'outdoor', 'shoes', 'jackets', 'kayaks');
const ids = fc.constantFrom(...Array.from({ length: 30 }, (_, index) => `sku-${index}`));
const documents = fc.record({
  before: fc.string(),
  after: fc.string(),
  items: fc.uniqueArray(fc.record({ id: ids, category: categories, score: fc.double({ min: -1, max: 10, noNaN: true }), html: fc.string() }), {
    maxLength: 30,
    selector: (entry) => entry.id,
  }),
});
const visitorsOver = (over: fc.Arbitrary<string>) => visitorsOf(over, ids);
const visitors = visitorsOver(categories);
const requests = fc.record({ count: fc.integer({ min: -5, max: 1000 }), exclude: fc.array(ids, { maxLength: 5 }), maxPerCategory: fc.integer({ min: 1, max: 5 }) });

describe('rankCandidates properties', () => {
  it('never returns an excluded, recently viewed or purchased item, nor one twice', () => {
    fc.assert(
      fc.property(documents, visitors, requests, (doc, visitor, request) => {
        const { ids: chosen } = rankCandidates(doc, visitor, request);
        const banned = new Set([...request.exclude, ...(visitor?.recentItems ?? []), ...(visitor?.purchased ?? [])]);
        expect(chosen.filter((id) => banned.has(id))).toEqual([]);
        expect(new Set(chosen).size).toBe(chosen.length);
      }),
    );
  });

  it('respects the count and the per-category cap', () => {
    fc.assert(
      fc.property(documents, visitors, requests, (doc, visitor, request) => {
        const { ids: chosen } = rankCandidates(doc, visitor, request);
        expect(chosen.length).toBeLessThanOrEqual(Math.max(0, request.count));
        const byId = new Map(doc.items.map((entry) => [entry.id, entry.category]));
        const perCategory = new Map<string, number>();
        for (const id of chosen) perCategory.set(byId.get(id) ?? '', (perCategory.get(byId.get(id) ?? '') ?? 0) + 1);
        for (const used of perCategory.values()) expect(used).toBeLessThanOrEqual(request.maxPerCategory);
      }),
    );
  });

  it('without signals returns items in descending score order', () => {
    fc.assert(
      fc.property(documents, requests, (doc, request) => {
        const { ids: chosen } = rankCandidates(doc, null, request);
        const score = new Map(doc.items.map((entry) => [entry.id, entry.score]));
        const scores = chosen.map((id) => score.get(id) ?? 0);
        expect(scores).toEqual([...scores].sort((a, b) => b - a));
      }),
    );
  });
});

const manyCategories = fc.constantFrom(...Array.from({ length: 40 }, (_, index) => `c${index}`), 'running', 'constructor', '__proto__');
const tiedScores = fc.oneof(fc.constantFrom(0, 0.5, 1), fc.double({ min: -1, max: 10, noNaN: true }));
const wideDocuments = fc.record({
  before: fc.constant('<ul>'),
  after: fc.constant('</ul>'),
  // Repeated ids, tied scores and up to 43 categories: pools on both sides of the insertion limit.
  items: fc.array(fc.record({ id: ids, category: manyCategories, score: tiedScores, html: fc.constant('<li></li>') }), { maxLength: 150 }),
});
const wideVisitors = visitorsOver(manyCategories);
const wideRequests = fc.record({ count: fc.integer({ min: -5, max: 300 }), exclude: fc.array(ids, { maxLength: 5 }), maxPerCategory: fc.integer({ min: 1, max: 8 }) });

describe('rankCandidates against the plain ranking', () => {
  it('chooses the same items in the same order as sets, filters and full sorts would', () => {
    fc.assert(
      fc.property(wideDocuments, wideVisitors, wideRequests, (doc, visitor, request) => {
        expect(rankCandidates(doc, visitor, request).ids).toEqual(referenceRank(doc, visitor, request));
      }),
      { numRuns: 500 },
    );
  });

  it('orders by score when the best score is too small to divide by', () => {
    const doc: CandidateDocument = { before: '', after: '', items: [item('tiny', 'x', 5e-324), item('zero', 'x', 0), item('other', 'y', 0)] };
    expect(rankCandidates(doc, signals({ recentItems: ['none'] }), { count: 3, exclude: [], maxPerCategory: 2 }).ids).toEqual(['tiny', 'zero', 'other']);
  });

  it('agrees on the demo-sized case: 200 candidates in 4 categories, unsorted, with signals', () => {
    const categories = ['running', 'outdoor', 'shoes', 'jackets'];
    const doc: CandidateDocument = { before: '', after: '', items: Array.from({ length: 200 }, (_, i) => item(`sku-${i}`, categories[(i * 7) % 4]!, ((i * 37) % 101) / 100)) };
    const visitor = signals({ affinities: { running: 0.9, outdoor: 0.6 }, recentCategories: ['outdoor', 'jackets'], sessionCategories: ['shoes'], recentItems: ['sku-3'], purchased: ['sku-8'] });
    const request = { count: 6, exclude: ['sku-1'], maxPerCategory: 2 };
    expect(rankCandidates(doc, visitor, request).ids).toEqual(referenceRank(doc, visitor, request));
    expect(rankCandidates(doc, visitor, request).ids).toHaveLength(6);
  });
});
