/**
 * Re-ranks a segment's candidates for one visitor, at the edge. Each candidate's score (normalized
 * by the document's best) gets a boost for its category: strongest for the categories of this
 * session (the freshest taste), then the profile's affinities and recent categories. Then it drops
 * excluded, recently viewed and purchased items, keeps at most `maxPerCategory` per category, and
 * takes the first `count`. Without signals the order is the document's order by score. Work is
 * per item (at most 200), never per byte: the item HTML is joined, not scanned.
 */
import type { CandidateDocument } from './candidate-document.ts';
import { MAX_CANDIDATES } from './candidate-document.ts';
import type { RankSignals } from './rank-signals.ts';

export interface RankRequest {
  count: number;
  /** Item ids never to show (the page's own item); unknown ids are ignored. */
  exclude: readonly string[];
  maxPerCategory: number;
}

export interface Ranked {
  html: string;
  ids: string[];
}

/** How much each signal moves a category, in units of the best candidate's score. */
export const WEIGHTS = Object.freeze({ session: 1.5, affinity: 0.8, recent: 0.5 });

/** 1 for the most recent entry, 1/2 for the next, ...; 0 when absent. */
function recency(list: readonly string[], category: string): number {
  const at = list.indexOf(category);
  return at < 0 ? 0 : 1 / (at + 1);
}

function categoryBoosts(signals: RankSignals | null): (category: string) => number {
  if (signals === null) return () => 0;
  const memo = new Map<string, number>();
  return (category) => {
    let boost = memo.get(category);
    if (boost === undefined) {
      const affinity = Object.hasOwn(signals.affinities, category) ? (signals.affinities[category] ?? 0) : 0;
      boost =
        WEIGHTS.session * recency(signals.sessionCategories, category) +
        WEIGHTS.affinity * affinity +
        WEIGHTS.recent * recency(signals.recentCategories, category);
      memo.set(category, boost);
    }
    return boost;
  };
}

export function rankCandidates(document: CandidateDocument, signals: RankSignals | null, request: RankRequest): Ranked {
  const count = Math.max(0, Math.min(Math.floor(request.count), MAX_CANDIDATES));
  const banned = new Set(request.exclude);
  for (const id of signals?.recentItems ?? []) banned.add(id);
  for (const id of signals?.purchased ?? []) banned.add(id);
  let best = 0;
  for (const item of document.items) best = Math.max(best, item.score);
  const scale = best > 0 ? 1 / best : 1;
  const boost = categoryBoosts(signals);
  const order = document.items
    // Without signals the raw score orders, so the segment's order stands exactly.
    .map((item, index) => ({ item, index, adjusted: signals === null ? item.score : item.score * scale + boost(item.category) }))
    .sort((a, b) => b.adjusted - a.adjusted || a.index - b.index);
  const perCategory = new Map<string, number>();
  const chosen: string[] = [];
  const ids: string[] = [];
  for (const { item } of order) {
    if (ids.length >= count) break;
    if (banned.has(item.id)) continue;
    const used = perCategory.get(item.category) ?? 0;
    if (used >= request.maxPerCategory) continue;
    perCategory.set(item.category, used + 1);
    // A duplicate id in the document is shown once.
    banned.add(item.id);
    chosen.push(item.html);
    ids.push(item.id);
  }
  return { html: document.before + chosen.join('') + document.after, ids };
}
