/**
 * Offline quality of the recommendations: trains the recommender job's candidate lists on one
 * synthetic clickstream with planted tastes, then replays a held-out one. For each held-out visitor
 * the first part of their visit is the history (the page they are on is its last item) and the
 * rest is what they went on to look at. Each model recommends 10 items for that page; a hit is any
 * of them looked at later. Hit rate@10 and NDCG@10 are averaged over visitors.
 */
import { productBySku } from '../origin/data/catalog.ts';
import { SEGMENTS } from '../origin/data/segment-content.ts';
import { computeCandidates, DEFAULT_HALF_LIFE_MS, type SegmentLists } from '../origin/recs/compute-candidates.ts';
import { KIND_WEIGHT, type Interaction } from '../origin/recs/interaction.ts';
import { MAX_PUBLISHED_PER_SEGMENT } from '../origin/recs/recs-limits.ts';
import { syntheticVisitors, type SyntheticVisitor } from '../origin/recs/synthetic-clickstream.ts';
import type { CandidateDocument } from '../src/core/recs/candidate-document.ts';
import { rankCandidates } from '../src/core/recs/rank-candidates.ts';
import type { RankSignals } from '../src/core/recs/rank-signals.ts';

export const K = 10;
/** Same share of the slate as the live pages' 2 of 4. */
const MAX_PER_CATEGORY = 5;
const DAY_MS = 24 * 3600 * 1000;

export interface Case {
  segment: string;
  page: string;
  signals: RankSignals;
  targets: ReadonlySet<string>;
}

export type Model = (entry: Case) => string[];

export interface Score {
  hitRate: number;
  ndcg: number;
  /** Recommendations of the page's own item or an item the visitor bought. */
  violations: number;
}

function globalPopularity(interactions: readonly Interaction[], now: number): string[] {
  const scores = new Map<string, number>();
  for (const entry of interactions) {
    const weight = KIND_WEIGHT[entry.kind] * 0.5 ** (Math.max(0, now - entry.ts) / DEFAULT_HALF_LIFE_MS);
    scores.set(entry.item, (scores.get(entry.item) ?? 0) + weight);
  }
  return [...scores].sort((a, b) => b[1] - a[1]).map(([id]) => id);
}

function documentOf(lists: SegmentLists, segment: string): CandidateDocument {
  const items = (lists[segment] ?? []).map(({ id, score }) => ({ id, score, category: productBySku(id)?.category ?? '', html: id }));
  return { before: '', after: '', items };
}

/** The visit split into history and what came after; null when too short to split. */
function caseOf(visitor: SyntheticVisitor): Case | null {
  const { events } = visitor;
  if (events.length < 4) return null;
  const cut = Math.max(2, Math.floor(events.length * 0.6));
  const history = events.slice(0, cut);
  const sessionCategories = [...new Set(history.map((entry) => entry.category).reverse())].slice(0, 5);
  const signals: RankSignals = {
    affinities: {},
    recentCategories: [],
    sessionCategories,
    recentItems: history.map((entry) => entry.item),
    purchased: history.filter((entry) => entry.kind === 'purchase').map((entry) => entry.item),
  };
  const page = history.at(-1)?.item ?? '';
  return { segment: visitor.segment, page, signals, targets: new Set(events.slice(cut).map((entry) => entry.item)) };
}

export function models(trainVisitors: number, now: number): Record<string, Model> {
  const train = syntheticVisitors({ visitors: trainVisitors, seed: 101, end: now, spanMs: 7 * DAY_MS }).flatMap((visitor) => visitor.events);
  const lists = computeCandidates(train, { segments: SEGMENTS, now, halfLifeMs: DEFAULT_HALF_LIFE_MS, perSegment: MAX_PUBLISHED_PER_SEGMENT });
  const popular = globalPopularity(train, now);
  const request = (entry: Case) => ({ count: K, exclude: [entry.page], maxPerCategory: MAX_PER_CATEGORY });
  return {
    'global popularity': (entry) => popular.filter((id) => id !== entry.page).slice(0, K),
    'segment lists': (entry) => rankCandidates(documentOf(lists, entry.segment), null, request(entry)).ids,
    'segment lists re-ranked at the edge': (entry) => rankCandidates(documentOf(lists, entry.segment), entry.signals, request(entry)).ids,
  };
}

export function heldOutCases(visitors: number, now: number): Case[] {
  return syntheticVisitors({ visitors, seed: 202, end: now + DAY_MS, spanMs: DAY_MS }).flatMap((visitor) => caseOf(visitor) ?? []);
}

export function score(model: Model, cases: readonly Case[]): Score {
  let hits = 0;
  let ndcg = 0;
  let violations = 0;
  for (const entry of cases) {
    const slate = model(entry);
    const gains = slate.map((id, rank) => (entry.targets.has(id) ? 1 / Math.log2(rank + 2) : 0));
    const ideal = Array.from({ length: Math.min(entry.targets.size, K) }, (_, rank) => 1 / Math.log2(rank + 2)).reduce((a, b) => a + b, 0);
    if (gains.some((gain) => gain > 0)) hits++;
    ndcg += ideal > 0 ? gains.reduce((a, b) => a + b, 0) / ideal : 0;
    violations += slate.filter((id) => id === entry.page || entry.signals.purchased.includes(id)).length;
  }
  return { hitRate: hits / cases.length, ndcg: ndcg / cases.length, violations };
}
