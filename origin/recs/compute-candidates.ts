/**
 * The recommender's batch step: a candidate list per segment, from the clickstream. An item's
 * score in a segment is its time-decayed popularity there (views, clicks and purchases weighted,
 * halving every `halfLifeMs`), plus how strongly it is co-visited with the segment's most popular
 * items, plus a little global and catalog popularity so a segment with little data still gets a
 * full, sensible list. Every score is normalized to 0..1 within its term.
 */
import { PRODUCTS } from '../data/catalog.ts';
import { coVisitation, type CoVisits } from './co-visitation.ts';
import { KIND_WEIGHT, type Interaction } from './interaction.ts';

export interface CandidateScore {
  id: string;
  score: number;
}

export type SegmentLists = Record<string, CandidateScore[]>;

export interface ComputeOptions {
  segments: readonly string[];
  now: number;
  halfLifeMs: number;
  perSegment: number;
}

export const DEFAULT_HALF_LIFE_MS = 3 * 24 * 3600 * 1000;
/** Term weights: the segment's own popularity leads; co-visitation and the global view help. */
const WEIGHTS = { segment: 1, covisit: 0.5, global: 0.2, catalog: 0.02 };
/** The segment's top items that co-visitation starts from. */
const SEEDS = 20;

function normalized(scores: ReadonlyMap<string, number>): Map<string, number> {
  const best = Math.max(0, ...scores.values());
  return new Map([...scores].map(([id, score]) => [id, best > 0 ? score / best : 0]));
}

function add(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

function covisitScores(popularity: ReadonlyMap<string, number>, covisits: CoVisits): Map<string, number> {
  const seeds = [...popularity].sort((a, b) => b[1] - a[1]).slice(0, SEEDS);
  const scores = new Map<string, number>();
  for (const [seed, weight] of seeds) {
    for (const [other, strength] of covisits.get(seed) ?? []) add(scores, other, strength * weight);
  }
  return scores;
}

export function computeCandidates(interactions: readonly Interaction[], options: ComputeOptions): SegmentLists {
  const global = new Map<string, number>();
  const bySegment = new Map<string, Map<string, number>>(options.segments.map((segment) => [segment, new Map()]));
  for (const entry of interactions) {
    const weight = KIND_WEIGHT[entry.kind] * 0.5 ** (Math.max(0, options.now - entry.ts) / options.halfLifeMs);
    add(global, entry.item, weight);
    const segment = bySegment.get(entry.segment);
    if (segment) add(segment, entry.item, weight);
  }
  const covisits = coVisitation(interactions);
  const globalScores = normalized(global);
  const lists: SegmentLists = {};
  for (const [segment, popularity] of bySegment) {
    const own = normalized(popularity);
    const related = normalized(covisitScores(popularity, covisits));
    const scored = PRODUCTS.map((item) => {
      const score =
        WEIGHTS.segment * (own.get(item.sku) ?? 0) +
        WEIGHTS.covisit * (related.get(item.sku) ?? 0) +
        WEIGHTS.global * (globalScores.get(item.sku) ?? 0) +
        WEIGHTS.catalog * item.popularity;
      return { id: item.sku, score: Math.round(score * 10_000) / 10_000 };
    });
    lists[segment] = scored.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)).slice(0, options.perSegment);
  }
  return lists;
}
