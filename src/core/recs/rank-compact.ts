/**
 * Ranks a compact candidate document (compact-format.ts) for one visitor with the same rules as the
 * JSON document (rank-candidates.ts): the same boost, exclusions, per-category cap, count and tie
 * order, so both formats of the same candidates give the same bytes. Each category's entries come
 * best first, so the ranking reads only each category's first `keep` entries that are not banned,
 * checks those (a finite score, offsets inside the HTML section), and copies the chosen items'
 * bytes verbatim, never decoding or ESI-processing them.
 */
import type { CompactEntry, CompactGroup, CompactHead } from './compact-format.ts';
import { byteView, readCompactDocument, type CompactDocument } from './compact-reader.ts';
import { bannedFor, categoryBoost, limitsOf, type RankRequest } from './rank-candidates.ts';
import type { Banned } from './candidate-scan.ts';
import type { RankSignals } from './rank-signals.ts';

export type RankedBytes = { ok: true; body: Uint8Array; ids: string[] } | { ok: false; reason: string };

/** Kept entries and their adjusted scores, best first. */
interface Pool {
  entries: CompactEntry[];
  adjusted: number[];
}

const encoder = new TextEncoder();
const BAD_ENTRY = 'compact candidate document: an entry has a non-finite score or offsets outside the HTML section';

export function rankCompact(bytes: Uint8Array, signals: RankSignals | null, request: RankRequest): RankedBytes {
  const read = readCompactDocument(bytes);
  if (!read.ok) return read;
  const { count, keep } = limitsOf(request);
  const pool = poolOf(read.document, signals, bannedFor(request.exclude, signals), keep);
  if (pool === null) return { ok: false, reason: BAD_ENTRY };
  return render(read.document, chosenOf(pool, count));
}

/** 1 / the best score of the document (each group's first entry), or 1 when that is not finite. */
function scaleOf(groups: readonly CompactGroup[]): number {
  let best = Number.NEGATIVE_INFINITY;
  for (let g = 0; g < groups.length; g++) best = Math.max(best, ((groups[g] as CompactGroup)[1][0] as CompactEntry)[1]);
  const scale = 1 / best;
  return best > 0 && scale < Number.POSITIVE_INFINITY ? scale : 1;
}

/** Each category's first `keep` entries that are not banned; null when one of those is malformed. */
function poolOf(document: CompactDocument, signals: RankSignals | null, banned: Banned, keep: number): Pool | null {
  const groups = document.head.groups;
  const size = document.bytes.length - document.html;
  const scale = keep > 0 && signals !== null ? scaleOf(groups) : 1;
  const pool: Pool = { entries: [], adjusted: [] };
  for (let g = 0; g < groups.length; g++) {
    // Indexed reads, not destructuring: an array pattern runs an interpreted iterator in the guest.
    const group = groups[g] as CompactGroup;
    const category = group[0];
    const entries = group[1];
    const boost = signals === null ? 0 : categoryBoost(signals, category);
    for (let i = 0, kept = 0; i < entries.length && kept < keep; i++) {
      const entry = entries[i] as CompactEntry;
      // `score - score === 0` is false exactly for NaN and ±Infinity (a literal like 1e999).
      if (entry[1] - entry[1] !== 0 || entry[3] > entry[4] || entry[4] > size) return null;
      if (banned.includes(entry[0])) continue;
      kept++;
      insert(pool, entry, signals === null ? entry[1] : entry[1] * scale + boost);
    }
  }
  return pool;
}

/** Puts one entry into the pool: the higher adjusted score first, else the earlier in the publisher's list. */
function insert(pool: Pool, entry: CompactEntry, adjusted: number): void {
  let at = pool.entries.length;
  for (; at > 0; at--) {
    const prev = pool.adjusted[at - 1] as number;
    if (prev > adjusted || (prev === adjusted && (pool.entries[at - 1] as CompactEntry)[2] <= entry[2])) break;
    pool.entries[at] = pool.entries[at - 1] as CompactEntry;
    pool.adjusted[at] = prev;
  }
  pool.entries[at] = entry;
  pool.adjusted[at] = adjusted;
}

/** At most `count` entries, best first, each id once. */
function chosenOf(pool: Pool, count: number): CompactEntry[] {
  const chosen: CompactEntry[] = [];
  const ids: string[] = [];
  for (let i = 0; i < pool.entries.length && chosen.length < count; i++) {
    const entry = pool.entries[i] as CompactEntry;
    if (ids.includes(entry[0])) continue;
    chosen.push(entry);
    ids.push(entry[0]);
  }
  return chosen;
}

/** `before`, the chosen items' bytes verbatim, `after`. */
function render(document: CompactDocument, chosen: readonly CompactEntry[]): RankedBytes {
  const head: CompactHead = document.head;
  const before = encoder.encode(head.before);
  const after = encoder.encode(head.after);
  let total = before.length + after.length;
  for (let i = 0; i < chosen.length; i++) total += (chosen[i] as CompactEntry)[4] - (chosen[i] as CompactEntry)[3];
  const body = new Uint8Array(total);
  body.set(before);
  let at = before.length;
  const ids: string[] = [];
  for (let i = 0; i < chosen.length; i++) {
    const entry = chosen[i] as CompactEntry;
    body.set(byteView(document.bytes, document.html + entry[3], entry[4] - entry[3]), at);
    at += entry[4] - entry[3];
    ids.push(entry[0]);
  }
  body.set(after, at);
  return { ok: true, body, ids };
}
