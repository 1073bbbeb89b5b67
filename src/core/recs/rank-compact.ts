/**
 * Ranks a compact candidate document (compact-format.ts) for one visitor with the same rules as the
 * JSON document (rank-candidates.ts): the same boost, exclusions, per-category cap, count and tie
 * order, so both formats of the same candidates give the same bytes. Each category's items come
 * best first, so the ranking reads only each category's first `keep` that are not banned, and
 * copies the chosen items' bytes verbatim, never decoding or ESI-processing them.
 */
import type { CompactGroup } from './compact-format.ts';
import { byteView, readCompactDocument, type CompactDocument } from './compact-reader.ts';
import { bannedFor, categoryBoost, limitsOf, scaleOf, type RankRequest } from './rank-candidates.ts';
import type { Banned } from './candidate-scan.ts';
import type { RankSignals } from './rank-signals.ts';

export type RankedBytes = { ok: true; body: Uint8Array; ids: string[] } | { ok: false; reason: string };

/** Kept items (their ids and places in the list) and adjusted scores, best first, as columns. */
interface Pool {
  ids: string[];
  orders: number[];
  adjusted: number[];
}

const encoder = new TextEncoder();
const DECREASING = 'compact candidate document: offsets decrease';
const UNREADABLE = 'compact candidate document: not as checked';

/** `checked`: a document this edge has checked whole already (compact-reader.ts), not checked again. */
export function rankCompact(bytes: Uint8Array, signals: RankSignals | null, request: RankRequest, checked = false): RankedBytes {
  const read = readCompactDocument(bytes, checked);
  if (!read.ok) return read;
  if (!checked) return ranked(read.document, signals, request);
  // Checked when stored, so it cannot throw; if its bytes were not what was stored, a failed ranking (a miss), never a throw.
  try {
    return ranked(read.document, signals, request);
  } catch {
    return { ok: false, reason: UNREADABLE };
  }
}

function ranked(document: CompactDocument, signals: RankSignals | null, request: RankRequest): RankedBytes {
  const { count, keep } = limitsOf(request);
  return render(document, poolOf(document.head.groups, signals, bannedFor(request.exclude, signals), keep), count);
}

/** The best score of the document: each group's first. */
function bestOf(groups: readonly CompactGroup[]): number {
  let best = Number.NEGATIVE_INFINITY;
  for (let g = 0; g < groups.length; g++) best = Math.max(best, (groups[g] as CompactGroup)[2][0] as number);
  return best;
}

/** Each category's first `keep` items that are not banned. */
function poolOf(groups: readonly CompactGroup[], signals: RankSignals | null, banned: Banned, keep: number): Pool {
  const scale = keep > 0 && signals !== null ? scaleOf(bestOf(groups)) : 1;
  const pool: Pool = { ids: [], orders: [], adjusted: [] };
  for (let g = 0; g < groups.length; g++) {
    // Indexed reads, not destructuring: an array pattern runs an interpreted iterator in the guest.
    const group = groups[g] as CompactGroup;
    const ids = group[1];
    const scores = group[2];
    const boost = signals === null ? 0 : categoryBoost(signals, group[0]);
    for (let i = 0, kept = 0; i < ids.length && kept < keep; i++) {
      const score = scores[i] as number;
      if (banned.includes(ids[i] as string)) continue;
      kept++;
      insert(pool, ids[i] as string, group[3][i] as number, signals === null ? score : score * scale + boost);
    }
  }
  return pool;
}

/** Puts one item into the pool: the higher adjusted score first, else the earlier in the publisher's list. */
function insert(pool: Pool, id: string, order: number, adjusted: number): void {
  let at = pool.ids.length;
  for (; at > 0; at--) {
    const prev = pool.adjusted[at - 1] as number;
    if (prev > adjusted || (prev === adjusted && (pool.orders[at - 1] as number) < order)) break;
    pool.ids[at] = pool.ids[at - 1] as string;
    pool.orders[at] = pool.orders[at - 1] as number;
    pool.adjusted[at] = prev;
  }
  pool.ids[at] = id;
  pool.orders[at] = order;
  pool.adjusted[at] = adjusted;
}

/** `before`, the bytes of the first `count` pooled items (each id once) verbatim, `after`. */
function render(document: CompactDocument, pool: Pool, count: number): RankedBytes {
  const { head, bytes, html } = document;
  const offsets = head.offsets;
  const ids: string[] = [];
  const orders: number[] = [];
  for (let i = 0; i < pool.ids.length && ids.length < count; i++) {
    if (ids.includes(pool.ids[i] as string)) continue;
    ids.push(pool.ids[i] as string);
    orders.push(pool.orders[i] as number);
  }
  const before = encoder.encode(head.before);
  const after = encoder.encode(head.after);
  let total = before.length + after.length;
  for (let i = 0; i < orders.length; i++) {
    const length = (offsets[(orders[i] as number) + 1] as number) - (offsets[orders[i] as number] as number);
    if (length < 0) return { ok: false, reason: DECREASING };
    total += length;
  }
  const body = new Uint8Array(total);
  body.set(before);
  let at = before.length;
  for (let i = 0; i < orders.length; i++) {
    const start = offsets[orders[i] as number] as number;
    const length = (offsets[(orders[i] as number) + 1] as number) - start;
    body.set(byteView(bytes, html + start, length), at);
    at += length;
  }
  body.set(after, at);
  return { ok: true, body, ids };
}
