/**
 * Re-ranks a segment's candidates for one visitor, at the edge. Each candidate's score (normalized
 * by the document's best) gets a boost for its category: strongest for the categories of this
 * session (the freshest taste), then the profile's affinities and recent categories. It drops
 * excluded, recently viewed and purchased items, keeps at most `maxPerCategory` per category and
 * takes the first `count`. Without signals the order is the document's order by score.
 *
 * The boost is the same for every item of a category, so within a category the order is by score:
 * one pass keeps each category's best few (at most min(cap, count)), and only that small pool is
 * sorted. The guest's interpreter pays for every operation, so the pass does as little as it can
 * per item and the item HTML is joined, never scanned.
 */
import type { Candidate, CandidateDocument } from './candidate-document.ts';
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

interface Pick {
  item: Candidate;
  index: number;
  adjusted: number;
}

/** 1 for the most recent entry, 1/2 for the next, ...; 0 when absent. */
function recency(list: readonly string[], category: string): number {
  const at = list.indexOf(category);
  return at < 0 ? 0 : 1 / (at + 1);
}

function categoryBoost(signals: RankSignals, category: string): number {
  const affinity = Object.hasOwn(signals.affinities, category) ? (signals.affinities[category] ?? 0) : 0;
  return WEIGHTS.session * recency(signals.sessionCategories, category) + WEIGHTS.affinity * affinity + WEIGHTS.recent * recency(signals.recentCategories, category);
}

/**
 * Each category's best `keep` items by score (earlier wins ties), skipping banned ids; and the best
 * score. Indexed loops only: in the Wasm guest, `for…of` runs the engine's self-hosted iterator (an
 * interpreted call and a result object per element). A full category's floor is its last kept score.
 */
function categoryTops(items: readonly Candidate[], keep: number, banned: ReadonlySet<string>): { tops: Map<string, Pick[]>; best: number } {
  const tops = new Map<string, Pick[]>();
  let best = Number.NEGATIVE_INFINITY;
  for (let index = 0; index < items.length; index++) {
    const item = items[index] as Candidate;
    const score = item.score;
    if (score > best) best = score;
    let top = tops.get(item.category);
    if (top === undefined) tops.set(item.category, (top = []));
    else if (top.length === keep && score <= (top[keep - 1] as Pick).adjusted) continue;
    if (banned.has(item.id)) continue;
    let at = top.length;
    while (at > 0 && (top[at - 1] as Pick).adjusted < score) at--;
    if (at === top.length) top.push({ item, index, adjusted: score });
    else top.splice(at, 0, { item, index, adjusted: score });
    if (top.length > keep) top.pop();
  }
  return { tops, best };
}

function bannedIds(exclude: readonly string[], signals: RankSignals | null): Set<string> {
  const banned = new Set(exclude);
  if (signals === null) return banned;
  const { recentItems, purchased } = signals;
  for (let i = 0; i < recentItems.length; i++) banned.add(recentItems[i] as string);
  for (let i = 0; i < purchased.length; i++) banned.add(purchased[i] as string);
  return banned;
}

/** Every category's kept items, their adjusted score set (normalized score plus the category's boost). */
function candidatePool(tops: Map<string, Pick[]>, best: number, signals: RankSignals | null): Pick[] {
  const scale = best > 0 ? 1 / best : 1;
  const pool: Pick[] = [];
  tops.forEach((top, category) => {
    // Without signals the raw score orders, so the segment's order stands exactly.
    const boost = signals === null ? 0 : categoryBoost(signals, category);
    for (let i = 0; i < top.length; i++) {
      const pick = top[i] as Pick;
      pool.push(signals === null ? pick : { item: pick.item, index: pick.index, adjusted: pick.item.score * scale + boost });
    }
  });
  return pool.sort((a, b) => b.adjusted - a.adjusted || a.index - b.index);
}

export function rankCandidates(document: CandidateDocument, signals: RankSignals | null, request: RankRequest): Ranked {
  const count = Math.max(0, Math.min(Math.floor(request.count), MAX_CANDIDATES));
  const keep = Math.min(request.maxPerCategory, count);
  if (keep <= 0) return { html: document.before + document.after, ids: [] };
  const { tops, best } = categoryTops(document.items, keep, bannedIds(request.exclude, signals));
  const pool = candidatePool(tops, best, signals);
  let html = document.before;
  const ids: string[] = [];
  for (let i = 0; i < pool.length && ids.length < count; i++) {
    const item = (pool[i] as Pick).item;
    // A duplicate id in the document is shown once.
    if (ids.includes(item.id)) continue;
    html += item.html;
    ids.push(item.id);
  }
  return { html: html + document.after, ids };
}
