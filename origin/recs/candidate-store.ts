/**
 * The fragments origin's published candidate lists, one per segment. A publication replaces all
 * lists at once and bumps the generation; until the first one each segment gets the catalog's
 * bestsellers, its own categories first, so a fresh store already recommends something sensible
 * (and instantly: no clickstream to crunch on the first request). `PUT /__origin/recs`
 * (control-endpoint.ts) publishes; `/fragments/recs/candidates` serves them.
 */
import { isSegment, SEGMENTS, segmentContent } from '../data/segment-content.ts';
import { PRODUCTS, productBySku } from '../data/catalog.ts';
import { MAX_PUBLISHED_PER_SEGMENT } from './recs-limits.ts';
import type { CandidateScore, SegmentLists } from './compute-candidates.ts';

export interface Publication {
  generation: number;
  publishedAt: string;
  source: string;
  lists: SegmentLists;
}

export type ParsedLists = { ok: true; lists: SegmentLists } | { ok: false; error: string };

function coldStart(): Publication {
  const lists: SegmentLists = {};
  for (const segment of SEGMENTS) {
    const own = segmentContent(segment).recsCategories;
    lists[segment] = PRODUCTS.map((item) => ({ id: item.sku, score: Math.round(item.popularity * (own.includes(item.category) ? 1 : 0.5) * 10_000) / 10_000 }))
      .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
      .slice(0, MAX_PUBLISHED_PER_SEGMENT);
  }
  return { generation: 0, publishedAt: new Date(0).toISOString(), source: 'cold-start', lists };
}

export class CandidateStore {
  private publication: Publication | null = null;
  /**
   * Whether `/fragments/recs/candidates` answers a request that prefers the compact format with it;
   * false makes this origin a publisher of the JSON document only, like any other (tests switch it).
   */
  offersCompact = true;

  current(): Publication {
    return (this.publication ??= coldStart());
  }

  publish(lists: SegmentLists, source: string): Publication {
    const generation = this.current().generation + 1;
    this.publication = { generation, publishedAt: new Date().toISOString(), source, lists };
    return this.publication;
  }
}

function list(raw: unknown): CandidateScore[] | null {
  if (!Array.isArray(raw) || raw.length > MAX_PUBLISHED_PER_SEGMENT) return null;
  const out: CandidateScore[] = [];
  for (const entry of raw as unknown[]) {
    if (typeof entry !== 'object' || entry === null) return null;
    const { id, score } = entry as Record<string, unknown>;
    if (typeof id !== 'string' || !productBySku(id) || typeof score !== 'number' || !Number.isFinite(score)) return null;
    out.push({ id, score });
  }
  return out;
}

/** `{"lists": {"runner": [{"id": "sku-1001", "score": 0.9}, ...], ...}}`: known segments and items only. */
export function parseLists(raw: unknown): ParsedLists {
  const lists = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).lists : undefined;
  if (typeof lists !== 'object' || lists === null || Array.isArray(lists)) return { ok: false, error: 'body must be {"lists": {segment: [{id, score}]}}' };
  const out: SegmentLists = {};
  for (const [segment, entries] of Object.entries(lists)) {
    if (!isSegment(segment)) return { ok: false, error: `unknown segment ${JSON.stringify(segment.slice(0, 40))}` };
    const parsed = list(entries);
    if (!parsed) return { ok: false, error: `lists.${segment}: at most ${MAX_PUBLISHED_PER_SEGMENT} entries of known items with finite scores` };
    out[segment] = parsed;
  }
  return { ok: true, lists: out };
}
