import fc from 'fast-check';
import type { Candidate, CandidateDocument } from '../../../src/core/recs/candidate-document.ts';
import { NO_SIGNALS, type RankSignals } from '../../../src/core/recs/rank-signals.ts';

export function item(id: string, category: string, score: number): Candidate {
  return { id, category, score, html: `<li data-item="${id}">${id}</li>` };
}

/** Running first by score, then shoes, outdoor and jackets: a runner segment's list. */
export const DOC: CandidateDocument = {
  before: '<ul class="recs">',
  after: '</ul>',
  items: [
    item('r1', 'running', 0.95), item('r2', 'running', 0.9), item('r3', 'running', 0.85),
    item('s1', 'shoes', 0.8), item('s2', 'shoes', 0.75), item('s3', 'shoes', 0.7),
    item('o1', 'outdoor', 0.5), item('o2', 'outdoor', 0.45), item('o3', 'outdoor', 0.4),
    item('j1', 'jackets', 0.3), item('j2', 'jackets', 0.25),
  ],
};

export function signals(overrides: Partial<RankSignals>): RankSignals {
  return { ...NO_SIGNALS, ...overrides };
}

export function encode(value: unknown): Uint8Array {
  return new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
}

/** Visitors with or without consent, their signals drawn from `categories` and `ids`. */
export function visitorsOf(categories: fc.Arbitrary<string>, ids: fc.Arbitrary<string>): fc.Arbitrary<RankSignals | null> {
  return fc.option(
    fc.record({
      affinities: fc.dictionary(categories, fc.double({ min: 0, max: 1, noNaN: true })),
      recentCategories: fc.array(categories, { maxLength: 4 }),
      sessionCategories: fc.array(categories, { maxLength: 5 }),
      recentItems: fc.array(ids, { maxLength: 5 }),
      purchased: fc.array(ids, { maxLength: 5 }),
    }),
  );
}
