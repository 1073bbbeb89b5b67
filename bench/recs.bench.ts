/**
 * `npm run bench -- recs`: recommendation quality on a held-out synthetic clickstream with planted
 * tastes (see recs-quality.ts). Goal: the segment lists re-ranked at the edge reach at least 1.5x
 * the hit rate@10 of global popularity, and never recommend the page's own or a purchased item.
 */
import type { BenchSection } from './bench-section.ts';
import { heldOutCases, K, models, score } from './recs-quality.ts';

const NOW = Date.UTC(2026, 10, 20);

export async function run(): Promise<BenchSection> {
  const cases = heldOutCases(2000, NOW);
  const scores = Object.entries(models(5000, NOW)).map(([name, model]) => ({ name, ...score(model, cases) }));
  const baseline = scores[0]?.hitRate ?? 0;
  const reranked = scores.at(-1);
  const ratio = reranked && baseline > 0 ? reranked.hitRate / baseline : 0;
  return Promise.resolve({
    name: `Recommendation quality (held-out synthetic clickstream, ${cases.length} visits, @${K})`,
    rows: scores.map((entry) => ({
      model: entry.name,
      [`hit rate@${K}`]: entry.hitRate.toFixed(3),
      [`NDCG@${K}`]: entry.ndcg.toFixed(3),
      'vs popularity': baseline > 0 ? `${(entry.hitRate / baseline).toFixed(2)}x` : '-',
      'own/purchased recommended': entry.violations,
    })),
    summary: {
      'hit rate ratio, re-ranked / global popularity': Number(ratio.toFixed(2)),
      'goal (>= 1.5x)': ratio >= 1.5,
      're-ranked recommended own or purchased items': reranked?.violations ?? -1,
    },
  });
}
