/**
 * An assembled page as the page tier keeps it: the bytes, and in the entry's metadata the status,
 * the content type and what the copy exposed, so a hit answers and logs like the assembly did. A
 * page with holes (page-holes.ts) keeps its status under `holed`, not `status`: a reader that knows
 * no holes finds no status and misses, rather than serving the documents as the page.
 */
import type { EdgeCacheEntry } from '../ports.ts';
import { allStrings } from './string-list.ts';
import { holedBody, holesMeta, holesOf, type PlacedHole } from './page-holes.ts';

export interface StoredPage {
  body: Uint8Array<ArrayBuffer>;
  status: number;
  contentType: string;
  /** What the copy exposed and the decision token in it, so a hit logs the same. */
  experiment?: StoredExperiment;
  /** Ranked includes cut out of `body`, filled per request (page-holes.ts). */
  holes?: PlacedHole[];
}

export interface StoredExperiment {
  exposed: string[];
  decision: string | null;
}

interface StoredMeta {
  status?: number;
  holed?: number;
  contentType: string;
  experiment?: StoredExperiment;
  holes?: unknown;
}

export function storedMeta(page: StoredPage): string {
  const holed = page.holes !== undefined && page.holes.length > 0;
  const meta: StoredMeta = holed ? { holed: page.status, contentType: page.contentType, holes: holesMeta(page.holes!) } : { status: page.status, contentType: page.contentType };
  const experiment = experimentOf(page);
  if (experiment !== null) meta.experiment = experiment;
  return JSON.stringify(meta);
}

/** The entry's body: the page's bytes, then its holes' documents. */
export function storedBody(page: StoredPage): Uint8Array<ArrayBuffer> {
  return page.holes !== undefined && page.holes.length > 0 ? holedBody(page.body, page.holes) : page.body;
}

/**
 * The page in an entry; null for none, a stale one (the parts may have changed, and a miss rebuilds
 * from cached parts), or one whose metadata does not read as a page (a pass marker, say).
 */
export function pageOf(entry: EdgeCacheEntry | null): StoredPage | null {
  if (!entry || entry.stale) return null;
  let meta: Partial<StoredMeta> | null;
  try {
    meta = JSON.parse(entry.meta) as Partial<StoredMeta> | null;
  } catch {
    return null; // an unreadable entry is a miss
  }
  if (typeof meta !== 'object' || meta === null || typeof meta.contentType !== 'string') return null;
  const status = meta.holes === undefined ? meta.status : meta.holed;
  if (typeof status !== 'number') return null;
  // Cache entries are always backed by a plain ArrayBuffer, never shared memory. Fields written
  // out, not spread: every page-cache hit reads one, and in the Wasm guest a spread runs the
  // engine's self-hosted code, interpreted.
  const page: StoredPage = { body: entry.body as Uint8Array<ArrayBuffer>, status, contentType: meta.contentType };
  const experiment = experimentOf(meta);
  if (experiment !== null) page.experiment = experiment;
  return meta.holes === undefined ? page : withHoles(page, meta.holes);
}

/** The page's bytes and holes split out of its body; null when they do not read right. */
function withHoles(page: StoredPage, meta: unknown): StoredPage | null {
  const split = holesOf(meta, page.body);
  if (split === null) return null;
  page.body = split.page as Uint8Array<ArrayBuffer>;
  page.holes = split.holes;
  return page;
}

function experimentOf(source: { experiment?: unknown }): StoredExperiment | null {
  const e = source.experiment as Partial<StoredExperiment> | undefined;
  if (typeof e !== 'object' || e === null || !Array.isArray(e.exposed) || !allStrings(e.exposed)) return null;
  return { exposed: e.exposed, decision: typeof e.decision === 'string' ? e.decision : null };
}

