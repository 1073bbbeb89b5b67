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
import { rankFragment, type Hole } from '../esi/ranked-include.ts';
import { concatBytes } from '../http/concat-bytes.ts';
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
    meta.push([at, doc.byteLength, mediaType ?? '', spec.count, spec.exclude]);
  }
  return meta;
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
  for (let i = 0; i < meta.length; i++) {
    const [at, length, mediaType, count, exclude] = meta[i] as HoleMeta;
    if (!(end >= 0 && at >= last && at <= end && Number.isInteger(at))) return null;
    holes.push({ at, doc: body.subarray(from, from + length), mediaType, spec: { count, exclude } });
    last = at;
    from += length;
  }
  return { page: body.subarray(0, end), holes };
}

/** A hole's document length when the hole reads right, else past any body (so the body reads as too short). */
function holeLength(hole: unknown): number {
  if (!Array.isArray(hole) || hole.length !== 5) return Infinity;
  const [, length, mediaType, count, exclude] = hole as unknown[];
  const valid = Number.isInteger(length) && (length as number) >= 0 && typeof mediaType === 'string' && Number.isInteger(count) && (count as number) >= 0 && Array.isArray(exclude) && allStrings(exclude);
  return valid ? (length as number) : Infinity;
}

/** The page with each hole ranked for this request's visitor; null when a ranking fails (a miss). */
export function filledBody(page: Uint8Array, holes: readonly PlacedHole[], vars: EsiVariables, settings: Settings): Uint8Array<ArrayBuffer> | null {
  const parts: Uint8Array[] = [];
  let from = 0;
  for (let i = 0; i < holes.length; i++) {
    const { at, doc, mediaType, spec } = holes[i]!;
    const ranked = rankFragment(doc, mediaType, spec, vars, settings);
    if (!ranked.ok) return null;
    parts.push(page.subarray(from, at), ranked.body);
    from = at;
  }
  parts.push(page.subarray(from));
  return concatBytes(parts);
}
