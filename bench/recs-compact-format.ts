/**
 * A PROTOTYPE of a compact candidate document, measured by `npm run bench -- wasm` beside the
 * contract's JSON document to price a contract change; nothing serves or accepts it.
 *
 *   `<head bytes>\n<head JSON>\n<the items' HTML back to back>`
 *   head: `{"before", "after", "groups": [["running", [["sku-1082", 0.994, start, end], …]], …]}`
 *
 * Each category's items come best first (the publisher sorts), and `start`/`end` are byte offsets
 * into the HTML section, which keeps the publisher's overall order (equal adjusted scores go to the
 * earlier item, as in the JSON document). The edge then decodes and parses only the small head,
 * reads each category's first few items (a check of only those), and copies the chosen items'
 * bytes verbatim: no per-item work over the 200 items, no decoding of their markup. Views are
 * `new Uint8Array(buffer, offset, length)`: in the guest `subarray` costs 20-40 µs a call.
 */
import { categoryBoost } from '../src/core/recs/rank-candidates.ts';
import type { RankSignals } from '../src/core/recs/rank-signals.ts';

/** `[id, score, start, end]` */
type Entry = [string, number, number, number];
interface Head { before: string; after: string; groups: Array<[string, Entry[]]> }
interface Flat { id: string; category: string; score: number; html: string }

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export function renderCompact(before: string, after: string, items: readonly Flat[]): Uint8Array {
  const groups = new Map<string, Entry[]>();
  const parts = items.map((item) => encoder.encode(item.html));
  let offset = 0;
  items.forEach((item, index) => {
    const length = (parts[index] as Uint8Array).length;
    groups.set(item.category, [...(groups.get(item.category) ?? []), [item.id, item.score, offset, (offset += length)]]);
  });
  for (const entries of groups.values()) entries.sort((a, b) => b[1] - a[1] || a[2] - b[2]);
  const head = encoder.encode(JSON.stringify({ before, after, groups: [...groups] }));
  const text = encoder.encode(`${head.length}\n`);
  const out = new Uint8Array(text.length + head.length + 1 + offset);
  out.set(text);
  out.set(head, text.length);
  out[text.length + head.length] = 10;
  let at = text.length + head.length + 1;
  for (const part of parts) out.set(part, (at += part.length) - part.length);
  return out;
}

function view(bytes: Uint8Array, start: number, length: number): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset + start, length);
}

/** The head and where the HTML section starts; null when the framing or the head is wrong. */
function headOf(bytes: Uint8Array): { head: Head; html: number } | null {
  const prefix = decoder.decode(view(bytes, 0, Math.min(8, bytes.length)));
  const newline = prefix.indexOf('\n');
  const length = Number(prefix.slice(0, newline));
  if (newline < 1 || !(length > 0) || newline + 1 + length >= bytes.length) return null;
  try {
    const head = JSON.parse(decoder.decode(view(bytes, newline + 1, length))) as Head;
    if (typeof head.before !== 'string' || typeof head.after !== 'string' || !Array.isArray(head.groups)) return null;
    return { head, html: newline + 2 + length };
  } catch {
    return null;
  }
}

interface Pool { entries: Entry[]; adjusted: number[] }

/** Puts one entry into the pool, ordered best first (the earlier in the HTML section of equal ones). */
function insert(pool: Pool, entry: Entry, adjusted: number): void {
  let at = pool.entries.length;
  for (; at > 0; at--) {
    const prev = pool.adjusted[at - 1] as number;
    if (prev > adjusted || (prev === adjusted && (pool.entries[at - 1] as Entry)[2] < entry[2])) break;
    pool.entries[at] = pool.entries[at - 1] as Entry;
    pool.adjusted[at] = prev;
  }
  pool.entries[at] = entry;
  pool.adjusted[at] = adjusted;
}

/** Each category's first `keep` entries that are not banned; null when one of those is malformed. */
function poolOf(head: Head, signals: RankSignals | null, banned: readonly string[], keep: number, size: number): Pool | null {
  const groups = head.groups;
  const pool: Pool = { entries: [], adjusted: [] };
  let best = Number.NEGATIVE_INFINITY;
  for (let g = 0; g < groups.length; g++) best = Math.max(best, ((groups[g] as [string, Entry[]])[1][0] as Entry)[1]);
  const scale = best > 0 && 1 / best < Number.POSITIVE_INFINITY ? 1 / best : 1;
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g] as [string, Entry[]];
    const category = group[0];
    const entries = group[1];
    if (typeof category !== 'string') return null;
    const boost = signals === null ? 0 : categoryBoost(signals, category);
    for (let i = 0, kept = 0; i < entries.length && kept < keep; i++) {
      const entry = entries[i] as Entry;
      const id = entry[0];
      const score = entry[1];
      if (typeof id !== 'string' || id === '' || typeof score !== 'number' || score - score !== 0 || !(entry[2] >= 0 && entry[2] <= entry[3] && entry[3] <= size)) return null;
      if (banned.includes(id)) continue;
      kept++;
      insert(pool, entry, signals === null ? score : score * scale + boost);
    }
  }
  return pool;
}

/** The ranked HTML as bytes, or null for a malformed document. */
export function rankCompact(bytes: Uint8Array, signals: RankSignals | null, exclude: readonly string[], count: number, maxPerCategory: number): Uint8Array | null {
  if (bytes.length > 256 * 1024) return null;
  const parsed = headOf(bytes);
  if (parsed === null) return null;
  const banned = signals === null ? exclude : exclude.concat(signals.recentItems, signals.purchased);
  let pool: Pool | null;
  try {
    pool = poolOf(parsed.head, signals, banned, Math.min(maxPerCategory, count), bytes.length - parsed.html);
  } catch {
    return null;
  }
  if (pool === null) return null;
  const before = encoder.encode(parsed.head.before);
  const after = encoder.encode(parsed.head.after);
  const chosen: Entry[] = [];
  const ids: string[] = [];
  let total = before.length + after.length;
  for (let i = 0; i < pool.entries.length && chosen.length < count; i++) {
    const entry = pool.entries[i] as Entry;
    if (ids.includes(entry[0])) continue;
    chosen.push(entry);
    ids.push(entry[0]);
    total += entry[3] - entry[2];
  }
  const out = new Uint8Array(total);
  out.set(before);
  let at = before.length;
  for (let i = 0; i < chosen.length; i++) {
    const entry = chosen[i] as Entry;
    out.set(view(bytes, parsed.html + entry[2], entry[3] - entry[2]), at);
    at += entry[3] - entry[2];
  }
  out.set(after, at);
  return out;
}
