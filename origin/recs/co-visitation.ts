/**
 * Item-to-item co-visitation: how often two items were looked at by the same visitor, normalized
 * by how often each was looked at (cosine), so a bestseller is not "related" to everything.
 * Visitors without a pseudonym cannot link items and are skipped.
 */
import type { Interaction } from './interaction.ts';

/** A visitor's most recent distinct items considered; bounds the pairs per visitor. */
const MAX_ITEMS_PER_VISITOR = 30;

export type CoVisits = ReadonlyMap<string, ReadonlyMap<string, number>>;

function itemsByVisitor(interactions: readonly Interaction[]): Map<string, string[]> {
  const byVisitor = new Map<string, string[]>();
  const sorted = interactions.filter((entry) => entry.visitor !== null).sort((a, b) => b.ts - a.ts);
  for (const entry of sorted) {
    const visitor = entry.visitor as string;
    let items = byVisitor.get(visitor);
    if (items === undefined) byVisitor.set(visitor, (items = []));
    if (items.length < MAX_ITEMS_PER_VISITOR && !items.includes(entry.item)) items.push(entry.item);
  }
  return byVisitor;
}

export function coVisitation(interactions: readonly Interaction[]): CoVisits {
  const pairs = new Map<string, Map<string, number>>();
  const seenBy = new Map<string, number>();
  for (const items of itemsByVisitor(interactions).values()) {
    for (const a of items) {
      seenBy.set(a, (seenBy.get(a) ?? 0) + 1);
      let row = pairs.get(a);
      if (row === undefined) pairs.set(a, (row = new Map<string, number>()));
      for (const b of items) if (a !== b) row.set(b, (row.get(b) ?? 0) + 1);
    }
  }
  for (const [a, row] of pairs) {
    for (const [b, count] of row) row.set(b, count / Math.sqrt((seenBy.get(a) ?? 1) * (seenBy.get(b) ?? 1)));
  }
  return pairs;
}
