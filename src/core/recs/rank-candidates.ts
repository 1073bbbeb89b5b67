/**
 * Re-ranks a segment's candidates for one visitor, at the edge. Each candidate's score (normalized
 * by the document's best) gets a boost for its category: strongest for the categories of this
 * session (the freshest taste), then the profile's affinities and recent categories. It drops
 * excluded, recently viewed and purchased items, keeps at most `maxPerCategory` per category and
 * takes the first `count`. Without signals the order is the document's order by score.
 *
 * The boost is the same for every item of a category, so within a category the order is by score:
 * one pass keeps each category's best few (at most min(cap, count)), and only that small pool is
 * ordered. The guest's interpreter pays for every operation (about 0.1 µs each, 0.3 µs a call), so
 * the pass costs most items one property lookup and one comparison, and the item HTML is joined,
 * never scanned.
 */
import type { CandidateDocument, CandidateShell } from './candidate-document.ts';
import { MAX_CANDIDATES } from './candidate-document.ts';
import { scanCandidates, type Banned, type Candidate, type Pick, type Scanned } from './candidate-scan.ts';
import type { RankSignals } from './rank-signals.ts';

export interface RankRequest {
  count: number;
  /** Item ids never to show (the page's own item); unknown ids are ignored. */
  exclude: readonly string[];
  maxPerCategory: number;
}

export interface Ranked {
  html: string;
  ids: string[];
}

/** How much each signal moves a category, in units of the best candidate's score. */
export const WEIGHTS = Object.freeze({ session: 1.5, affinity: 0.8, recent: 0.5 });

/**
 * The category's boost. Recency is 1 for the most recent entry of a list, 1/2 for the next, ...; 0
 * when absent. An affinity counts only when it is a number, which also leaves out whatever a plain
 * object inherits (`constructor`, `__proto__`). Inline, with no `Object.hasOwn`: each call is
 * interpreted in the guest.
 */
export function categoryBoost(signals: RankSignals, category: string): number {
  const affinity = signals.affinities[category];
  const session = signals.sessionCategories.indexOf(category);
  const recent = signals.recentCategories.indexOf(category);
  // weight × 1/(position + 1), as the ranking always computed it: the floats (and ties) stay the same.
  return (
    WEIGHTS.session * (session < 0 ? 0 : 1 / (session + 1)) +
    WEIGHTS.affinity * (typeof affinity === 'number' ? affinity : 0) +
    WEIGHTS.recent * (recent < 0 ? 0 : 1 / (recent + 1))
  );
}

/** The request's exclusions and, with signals, the visitor's recently viewed and purchased items. */
export function bannedFor(exclude: readonly string[], signals: RankSignals | null): Banned {
  return signals === null ? exclude : exclude.concat(signals.recentItems, signals.purchased);
}

/** How many to show and how many to keep per category: a huge count is capped, a negative one is 0. */
export function limitsOf(request: RankRequest): { count: number; keep: number } {
  const count = Math.max(0, Math.min(Math.floor(request.count), MAX_CANDIDATES));
  return { count, keep: Math.max(0, Math.min(request.maxPerCategory, count)) };
}

/** 1 / best, or 1 when that is not a finite number (no positive score, or one too small to invert). */
export function scaleOf(best: number): number {
  const scale = 1 / best;
  return best > 0 && scale < Number.POSITIVE_INFINITY ? scale : 1;
}

/** Pools this small are ordered by insertion (no call per comparison); larger ones by the native sort. */
const INSERTION_LIMIT = 24;

/**
 * Every kept item with its adjusted score (normalized score plus its category's boost), best first
 * (the earlier in the document of two equal ones).
 */
function ordered(scanned: Scanned, signals: RankSignals | null): Pick[] {
  const scale = scaleOf(scanned.best);
  const pool: Pick[] = [];
  for (let c = 0; c < scanned.categories.length; c++) {
    const category = scanned.categories[c] as string;
    const top = scanned.picks[category] as Pick[];
    // Without signals the raw score orders, so the segment's order stands exactly.
    const boost = signals === null ? 0 : categoryBoost(signals, category);
    for (let i = 0; i < top.length; i++) {
      const pick = top[i] as Pick;
      if (signals !== null) pick.adjusted = pick.item.score * scale + boost;
      pool.push(pick);
    }
  }
  if (pool.length > INSERTION_LIMIT) return pool.sort((a, b) => b.adjusted - a.adjusted || a.index - b.index);
  // The same order, inline: the higher adjusted score first, else the earlier in the document.
  for (let i = 1; i < pool.length; i++) {
    const pick = pool[i] as Pick;
    let at = i;
    while (at > 0) {
      const prev = pool[at - 1] as Pick;
      if (prev.adjusted > pick.adjusted || (prev.adjusted === pick.adjusted && prev.index < pick.index)) break;
      pool[at--] = prev;
    }
    pool[at] = pick;
  }
  return pool;
}

/** The items to show, best first: at most `count`, each id once. */
export function chooseCandidates(scanned: Scanned, signals: RankSignals | null, count: number): Candidate[] {
  const pool = ordered(scanned, signals);
  const chosen: Candidate[] = [];
  const ids: string[] = [];
  for (let i = 0; i < pool.length && chosen.length < count; i++) {
    const item = (pool[i] as Pick).item;
    // A duplicate id in the document is shown once.
    if (ids.includes(item.id)) continue;
    chosen.push(item);
    ids.push(item.id);
  }
  return chosen;
}

/** `before`, the chosen items' HTML verbatim, `after`. */
export function renderChosen(document: CandidateShell, chosen: readonly Candidate[]): Ranked {
  let html = document.before;
  const ids: string[] = [];
  for (let i = 0; i < chosen.length; i++) {
    const item = chosen[i] as Candidate;
    html += item.html;
    ids.push(item.id);
  }
  return { html: html + document.after, ids };
}

/** The ranking of a document whose items are not checked yet; null when an item has the wrong shape. */
export function rankShell(shell: CandidateShell, signals: RankSignals | null, request: RankRequest): Ranked | null {
  const { count, keep } = limitsOf(request);
  const scanned = scanCandidates(shell.items, keep, bannedFor(request.exclude, signals));
  return scanned === null ? null : renderChosen(shell, chooseCandidates(scanned, signals, count));
}

export function rankCandidates(document: CandidateDocument, signals: RankSignals | null, request: RankRequest): Ranked {
  return rankShell(document, signals, request) ?? { html: document.before + document.after, ids: [] };
}
