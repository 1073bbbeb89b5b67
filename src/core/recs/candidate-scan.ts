/**
 * One pass over a candidate document's items that both checks every item's shape and keeps each
 * category's best `keep` (by score, the earlier of equal scores first), skipping banned ids. It is
 * the shape check of the candidate contract and the ranking's selection at once because the
 * guest's interpreter pays for every operation (about 0.1 µs each, 0.3 µs a call): one pass reads
 * each item and its fields once, and most items then cost one dictionary lookup and one
 * comparison. Indexed loops and prototype-free dictionaries only (`for…of` runs an interpreted
 * iterator per element; a Map lookup is a call).
 */

/** One recommendation of a candidate document. */
export interface Candidate {
  id: string;
  category: string;
  score: number;
  /** Inserted verbatim, never ESI-processed. */
  html: string;
}

export interface Pick {
  item: Candidate;
  /** Its place in the document: the earlier of two equal scores wins. */
  index: number;
  /** The item's score until the ranking adjusts it. */
  adjusted: number;
}

/**
 * Ids never to keep, as one list searched with the native `includes`. A fresh instance pays about
 * 5 µs per key to build a dictionary of ids it has never seen (each id is atomized and each key
 * adds a shape), while the scan looks up only the few items that beat their category's floor:
 * ~16 banned ids cost ~70-100 µs as a dictionary, ~1 µs per lookup as a list.
 */
export type Banned = readonly string[];

export interface Scanned {
  /** Categories in the order they first appear. */
  categories: string[];
  /** Each category's kept items, best first. */
  picks: Record<string, Pick[]>;
  /** The best score of the whole document (banned items included). */
  best: number;
}

/**
 * The kept items, or null when an item is not `{"id": non-empty string, "category": string,
 * "score": finite number, "html": string}`. `floors` holds, for each category that already keeps
 * `keep` items, the score an item must beat; an item at or under it cannot be the document's best
 * either (its category keeps better ones), so only the items past it update `best`.
 */
export function scanCandidates(items: readonly unknown[], keep: number, banned: Banned): Scanned | null {
  const scanned: Scanned = { categories: [], picks: Object.create(null) as Record<string, Pick[]>, best: Number.NEGATIVE_INFINITY };
  const floors = Object.create(null) as Record<string, number>;
  const count = items.length;
  try {
    for (let index = 0; index < count; index++) {
      // JSON has no undefined: reading a field of a null item is the only way this throws.
      const { id, category, score, html } = items[index] as Partial<Record<keyof Candidate, unknown>>;
      // `score - score === 0` is false exactly for NaN and ±Infinity.
      if (typeof score !== 'number' || score - score !== 0 || typeof category !== 'string' || typeof id !== 'string' || id === '' || typeof html !== 'string') return null;
      if (score <= (floors[category] as number)) continue;
      if (score > scanned.best) scanned.best = score;
      if (!banned.includes(id)) keepItem(scanned, floors, keep, { item: items[index] as Candidate, index, adjusted: score });
    }
  } catch {
    return null;
  }
  return scanned;
}

/**
 * Puts `pick` among its category's best `keep`, after equal scores (a full category drops its last),
 * and closes the category at its new floor once full. Only called for a pick above the floor.
 */
function keepItem(scanned: Scanned, floors: Record<string, number>, keep: number, pick: Pick): void {
  const { category } = pick.item;
  // Keeping none (a shape check only), a category is closed once seen.
  if (keep === 0) return void (floors[category] = Number.POSITIVE_INFINITY);
  const top = scanned.picks[category] ?? newCategory(scanned, category);
  let at = top.length;
  if (at === keep) at--;
  else top.push(pick);
  for (; at > 0 && (top[at - 1] as Pick).adjusted < pick.adjusted; at--) top[at] = top[at - 1] as Pick;
  top[at] = pick;
  if (top.length === keep) floors[category] = (top[keep - 1] as Pick).adjusted;
}

function newCategory(scanned: Scanned, category: string): Pick[] {
  scanned.categories.push(category);
  return (scanned.picks[category] = []);
}
