/**
 * The ranking written the plain way (sets, filters, full sorts), as the ranking was before it was
 * made cheap for the Wasm guest: the model the fast ranking must agree with, item for item.
 */
import type { CandidateDocument } from '../../../src/core/recs/candidate-document.ts';
import type { RankRequest } from '../../../src/core/recs/rank-candidates.ts';
import type { RankSignals } from '../../../src/core/recs/rank-signals.ts';

const recency = (list: readonly string[], category: string): number => (list.includes(category) ? 1 / (list.indexOf(category) + 1) : 0);

function boost(signals: RankSignals, category: string): number {
  const affinity = Object.hasOwn(signals.affinities, category) ? (signals.affinities[category] ?? 0) : 0;
  return 1.5 * recency(signals.sessionCategories, category) + 0.8 * affinity + 0.5 * recency(signals.recentCategories, category);
}

export function referenceRank(document: CandidateDocument, signals: RankSignals | null, request: RankRequest): string[] {
  const count = Math.max(0, Math.min(Math.floor(request.count), 200));
  const keep = Math.min(request.maxPerCategory, count);
  if (keep <= 0) return [];
  const banned = new Set([...request.exclude, ...(signals?.recentItems ?? []), ...(signals?.purchased ?? [])]);
  const best = Math.max(...document.items.map((item) => item.score));
  const scale = best > 0 && Number.isFinite(1 / best) ? 1 / best : 1;
  const indexed = document.items.map((item, index) => ({ item, index }));
  const byScore = (a: { item: { score: number }; index: number }, b: { item: { score: number }; index: number }) => b.item.score - a.item.score || a.index - b.index;
  const categories = [...new Set(document.items.map((item) => item.category))];
  const pool = categories.flatMap((category) =>
    indexed
      .filter(({ item }) => item.category === category && !banned.has(item.id))
      .sort(byScore)
      .slice(0, keep)
      .map(({ item, index }) => ({ item, index, adjusted: signals === null ? item.score : item.score * scale + boost(signals, category) })),
  );
  pool.sort((a, b) => b.adjusted - a.adjusted || a.index - b.index);
  const ids: string[] = [];
  for (const { item } of pool) if (ids.length < count && !ids.includes(item.id)) ids.push(item.id);
  return ids;
}
