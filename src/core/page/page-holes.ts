/**
 * A stored page with holes ("donut caching"): a page whose only per-visitor parts are ranked
 * includes (ranked-include.ts) is kept visitor-neutral, its bytes with each ranked output cut out
 * and, for each hole, what ranks it again: the candidate document, its media type and the include's
 * count and exclusions. A hit fills each hole for its own visitor, so no visitor's ranking is ever
 * stored or served to another. The entry's body is the page's bytes, then the documents in hole
 * order; its metadata (stored-page.ts) lists each hole as `[at, length, mediaType, count, exclude]`.
 */
import type { Settings } from '../config/settings.ts';
import type { EsiVariables } from '../esi/esi-variables.ts';
import { CHECKED_COMPACT_TYPE, rankFragment, type Hole } from '../esi/ranked-include.ts';
import { COMPACT_CANDIDATES_TYPE } from '../recs/compact-format.ts';
import { concatBytes } from '../http/concat-bytes.ts';
import { byteView } from '../recs/compact-reader.ts';
import { allStrings } from './string-list.ts';

/** A hole at `at`, an offset into the page's bytes with every hole cut out. */
export interface PlacedHole extends Hole {
  at: number;
}

type HoleMeta = [at: number, length: number, mediaType: string, count: number, exclude: readonly string[]];

/** The entry's body: the page's bytes, then each hole's candidate document. */
export function holedBody(page: Uint8Array, holes: readonly PlacedHole[]): Uint8Array<ArrayBuffer> {
  const parts: Uint8Array[] = [page];
  for (let i = 0; i < holes.length; i++) parts.push(holes[i]!.doc);
  return concatBytes(parts);
}

export function holesMeta(holes: readonly PlacedHole[]): HoleMeta[] {
  const meta: HoleMeta[] = [];
  for (let i = 0; i < holes.length; i++) {
    const { at, doc, mediaType, spec } = holes[i]!;
    meta.push([at, doc.byteLength, storedType(mediaType), spec.count, spec.exclude]);
  }
  return meta;
}

/** A compact document ranked at the assembly is stored as checked: a hit does not check it again. */
function storedType(mediaType: string | undefined): string {
  return mediaType === COMPACT_CANDIDATES_TYPE ? CHECKED_COMPACT_TYPE : (mediaType ?? '');
}

/**
 * The page's bytes and its holes from an entry's body and the holes' metadata; null when they do
 * not make sense together (then the entry is a miss, never a wrong page).
 */
export function holesOf(meta: unknown, body: Uint8Array): { page: Uint8Array; holes: PlacedHole[] } | null {
  if (!Array.isArray(meta) || meta.length === 0) return null;
  const holes: PlacedHole[] = [];
  let end = body.byteLength;
  for (let i = 0; i < meta.length; i++) end -= holeLength(meta[i]);
  let last = 0;
  let from = end;
  // Indexed reads, not destructuring, and views made with the constructor, not `subarray`: in the
  // guest an array pattern runs an interpreted iterator and `subarray` self-hosted code (20-40 µs a call).
  for (let i = 0; i < meta.length; i++) {
    const hole = meta[i] as HoleMeta;
    const at = hole[0];
    const length = hole[1];
    if (!(end >= 0 && at >= last && at <= end && Number.isInteger(at))) return null;
    holes.push({ at, doc: byteView(body, from, length), mediaType: hole[2], spec: { count: hole[3], exclude: hole[4] } });
    last = at;
    from += length;
  }
  return { page: byteView(body, 0, end), holes };
}

/** A hole's document length when the hole reads right, else past any body (so the body reads as too short). */
function holeLength(hole: unknown): number {
  if (!Array.isArray(hole) || hole.length !== 5) return Infinity;
  const length: unknown = hole[1];
  const count: unknown = hole[3];
  const exclude: unknown = hole[4];
  const valid = Number.isInteger(length) && (length as number) >= 0 && typeof hole[2] === 'string' && Number.isInteger(count) && (count as number) >= 0 && Array.isArray(exclude) && allStrings(exclude);
  return valid ? (length as number) : Infinity;
}

/**
 * The page with each hole ranked for this request's visitor; null when a ranking fails (a miss).
 * Joined into one array made at its final length, the page's stretches copied through views.
 */
export function filledBody(page: Uint8Array, holes: readonly PlacedHole[], vars: EsiVariables, settings: Settings): Uint8Array<ArrayBuffer> | null {
  const ranked: Uint8Array[] = [];
  let total = page.byteLength;
  for (let i = 0; i < holes.length; i++) {
    const { doc, mediaType, spec } = holes[i]!;
    const outcome = rankFragment(doc, mediaType, spec, vars, settings);
    if (!outcome.ok) return null;
    ranked.push(outcome.body);
    total += outcome.body.byteLength;
  }
  const out = new Uint8Array(total);
  let from = 0;
  let to = 0;
  for (let i = 0; i < holes.length; i++) {
    const at = holes[i]!.at;
    const body = ranked[i]!;
    out.set(byteView(page, from, at - from), to);
    to += at - from;
    out.set(body, to);
    to += body.byteLength;
    from = at;
  }
  out.set(byteView(page, from, page.byteLength - from), to);
  return out;
}
