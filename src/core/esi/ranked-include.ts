/**
 * Ranked includes: `<esi:include src="…candidates…" rank="visitor" count="4" exclude="sku-1005"/>`.
 * The fetched body is a segment's candidate document (shared and cacheable like any fragment);
 * instead of being inserted verbatim it is re-ranked for the visitor and rendered. The fragment
 * request prefers the compact candidate document (the edge's own format, much cheaper to rank in
 * the Wasm) and accepts the JSON document any other publisher serves; the response's media type
 * picks the reader. A document that does not parse fails the include like a bad status would (alt,
 * then except). The page cache keys on `RANKING` (empty without signals). Without signals the
 * segment order is every such visitor's and the page is stored as it is; ranked for a visitor, the
 * ranked bytes are a hole in the stored copy (page-holes.ts), which keeps the candidate document in
 * their place for a hit to rank for its own visitor: the copy is visitor-neutral. Keying on
 * `RANKING` keeps the documents out of the copy visitors without signals read (most of them), whose
 * hits would otherwise read the documents' bytes too (+8 hostcalls, +32 clock reads per hit).
 */
import type { Settings } from '../config/settings.ts';
import { COMPACT_CANDIDATES_TYPE } from '../recs/compact-format.ts';
import { rankCompact } from '../recs/rank-compact.ts';
import { rankDocument } from '../recs/rank-document.ts';
import type { RankRequest } from '../recs/rank-candidates.ts';
import type { EsiVariables } from './esi-variables.ts';
import { variableValue } from './variable-reads.ts';
import type { Attempt } from './shared-fetches.ts';
import { CachedFragment } from './fragment-facts.ts';

export interface RankSpec {
  count: number;
  exclude: readonly string[];
}

const DEFAULT_COUNT = 4;
const MAX_EXCLUDED = 64;
const encoder = new TextEncoder();
const SEPARATOR = /[\s,]/;
/** Made once: a RegExp literal inside a function is a new object on every call. */
const COUNT = /^\d{1,9}$/;

/** The ranking an include asks for; null for an ordinary include (no `rank="visitor"`). */
export function rankSpecOf(attributes: ReadonlyMap<string, string> | null): RankSpec | null {
  if (attributes?.get('rank') !== 'visitor') return null;
  const raw = attributes.get('count');
  // A count that is not a number is the default; a huge one is capped by the ranking.
  const parsed = raw !== undefined && COUNT.test(raw) ? Number(raw) : DEFAULT_COUNT;
  const exclude = excludedIds(attributes.get('exclude') ?? '');
  return { count: parsed, exclude };
}

/** The ids of `exclude`, split at whitespace and commas; a single id (the usual case) skips the RegExp split, which the guest runs as interpreted code. */
function excludedIds(raw: string): string[] {
  if (raw === '') return [];
  if (!SEPARATOR.test(raw)) return [raw];
  return raw.split(/[\s,]+/).filter((id) => id.length > 0).slice(0, MAX_EXCLUDED);
}

/** Whether this page's ranked includes are adjusted for the visitor; reading it keys the page cache. */
export function rankedForVisitor(vars: EsiVariables): boolean {
  return variableValue(vars, 'RANKING', null) !== '';
}

export type RankOutcome = { ok: true; body: Uint8Array } | { ok: false; reason: string };

/** What a ranked include's fragment request asks for: the compact document, else the JSON one. */
export const CANDIDATES_ACCEPT = `${COMPACT_CANDIDATES_TYPE}, application/json;q=0.9`;
/** The media types a ranked include's response may have. */
export const CANDIDATE_TYPES: readonly string[] = Object.freeze([COMPACT_CANDIDATES_TYPE, 'application/json']);

/**
 * A stored page's hole keeps a compact document under this type (page-holes.ts): it ranked when the
 * page was assembled, so a hit ranks it without checking its shape again. Never an origin's: a
 * fragment's type is read without its parameters (fragment-answer.ts). A reader that does not know
 * the type reads it as JSON, which fails: a miss, never a wrong page.
 */
export const CHECKED_COMPACT_TYPE = `${COMPACT_CANDIDATES_TYPE};checked`;

/** `mediaType` is the response's `type/subtype`, lower case: the compact type or JSON (or a stored hole's `CHECKED_COMPACT_TYPE`). */
export function rankFragment(body: Uint8Array, mediaType: string | undefined, spec: RankSpec, vars: EsiVariables, settings: Settings): RankOutcome {
  const signals = vars.signals ?? null;
  const request: RankRequest = { count: spec.count, exclude: spec.exclude, maxPerCategory: settings.recsMaxPerCategory };
  if (mediaType === COMPACT_CANDIDATES_TYPE) return rankCompact(body, signals, request);
  if (mediaType === CHECKED_COMPACT_TYPE) return rankCompact(body, signals, request, true);
  const ranked = rankDocument(body, signals, request);
  return ranked.ok ? { ok: true, body: encoder.encode(ranked.html) } : ranked;
}

/** What a hit needs to rank a hole of the stored page again, for its own visitor. */
export interface Hole {
  doc: Uint8Array;
  mediaType: string | undefined;
  spec: RankSpec;
}

/**
 * The page's ranked outputs (the runner's): each ranked body, by identity, to its hole. The output
 * keeps a chunk's identity up to the page writer, which tells the copy where the holes are.
 * `forVisitor`: the page cannot be stored (an empty ranked output leaves no chunk to mark its hole).
 */
export interface Ranking {
  forVisitor: boolean;
  holes: Map<Uint8Array, Hole> | null;
}

/**
 * A ranked include's attempt once fetched: its candidate document re-ranked for the visitor, or a
 * failed attempt (alt, then except) when the document does not parse. The result is written out
 * field by field, not spread: the guest runs a spread as an interpreted loop over the keys.
 */
export function rankedAttempt(attempt: Attempt, spec: RankSpec, page: { vars: EsiVariables; settings: Settings; problem: (message: string) => void }, ranking: Ranking): Attempt {
  if (!attempt.ok) return attempt;
  const { result, path } = attempt;
  const ranked = rankFragment(result.body, result.mediaType, spec, page.vars, page.settings);
  if (!ranked.ok) {
    page.problem(`ranked include failed: ${ranked.reason}`);
    return { ok: false, outcome: 'error', cache: result.cache, path };
  }
  if (rankedForVisitor(page.vars)) holeFor(ranked.body, { doc: result.body, mediaType: result.mediaType, spec }, ranking);
  // The candidate document's caching facts pass on (unread until stored): its TTL and keys count for the stored page.
  const rankedResult = result instanceof CachedFragment ? new CachedFragment(ranked.body, result.cache, result.facts) : { ok: true as const, body: ranked.body, cache: result.cache, ttlMs: result.ttlMs, surrogateKeys: result.surrogateKeys };
  return { ok: true, path, reads: attempt.reads, result: rankedResult };
}

/** The visitor's ranked bytes, a hole in the page's copy; an empty one leaves no chunk to mark it, so that page is not stored. */
function holeFor(body: Uint8Array, hole: Hole, ranking: Ranking): void {
  if (body.length === 0) ranking.forVisitor = true;
  else (ranking.holes ??= new Map()).set(body, hole);
}
