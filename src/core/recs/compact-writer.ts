/**
 * Writes a segment's candidates as a compact candidate document (compact-format.ts): the fragments
 * origin serves it to edges that ask for it, and the Wasm's build-time warm-up answers its sample
 * ranked include with it. Items keep their place in `items` as `order`; each category's entries
 * are sorted best first (equal scores in list order), which is what lets the edge read only each
 * category's first few.
 */
import type { Candidate } from './candidate-scan.ts';
import type { CompactEntry } from './compact-format.ts';

const encoder = new TextEncoder();

export function renderCompactDocument(before: string, after: string, items: readonly Candidate[]): Uint8Array {
  const groups = new Map<string, CompactEntry[]>();
  const parts = items.map((item) => encoder.encode(item.html));
  let offset = 0;
  items.forEach((item, order) => {
    const start = offset;
    offset += parts[order]!.length;
    const entries = groups.get(item.category) ?? [];
    if (entries.length === 0) groups.set(item.category, entries);
    entries.push([item.id, item.score, order, start, offset]);
  });
  for (const entries of groups.values()) entries.sort((a, b) => b[1] - a[1] || a[2] - b[2]);
  const head = encoder.encode(JSON.stringify({ before, after, groups: [...groups] }));
  const length = encoder.encode(`${head.length}\n`);
  const out = new Uint8Array(length.length + head.length + 1 + offset);
  out.set(length);
  out.set(head, length.length);
  out[length.length + head.length] = 10;
  let at = length.length + head.length + 1;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
