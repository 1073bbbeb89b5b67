/**
 * Writes a segment's candidates as a compact candidate document (compact-format.ts): the fragments
 * origin serves it to edges that ask for it, and the Wasm's build-time warm-up answers its sample
 * ranked include with it. Each category's items are sorted best first (equal scores in list
 * order), which is what lets the edge read only each category's first few.
 */
import type { Candidate } from './candidate-scan.ts';

const encoder = new TextEncoder();

export function renderCompactDocument(before: string, after: string, items: readonly Candidate[]): Uint8Array {
  const parts = items.map((item) => encoder.encode(item.html));
  const offsets = [0];
  parts.forEach((part, order) => offsets.push((offsets[order] as number) + part.length));
  const head = encoder.encode(JSON.stringify({ before, after, offsets, groups: groupsOf(items) }));
  const length = encoder.encode(`${head.length}\n`);
  const out = new Uint8Array(length.length + head.length + 1 + (offsets.at(-1) as number));
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

/** Each category in order of first appearance, its items best first as `[category, ids, scores, orders]`. */
function groupsOf(items: readonly Candidate[]): Array<[string, string[], number[], number[]]> {
  const byCategory = new Map<string, number[]>();
  items.forEach((item, order) => {
    const orders = byCategory.get(item.category) ?? [];
    if (orders.length === 0) byCategory.set(item.category, orders);
    orders.push(order);
  });
  return [...byCategory].map(([category, orders]) => {
    orders.sort((a, b) => (items[b] as Candidate).score - (items[a] as Candidate).score || a - b);
    const chosen = orders.map((order) => items[order] as Candidate);
    return [category, chosen.map((item) => item.id), chosen.map((item) => item.score), orders];
  });
}
