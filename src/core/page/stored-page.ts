/**
 * An assembled page as the page tier keeps it: the bytes, and in the entry's metadata the status,
 * the content type and what the copy exposed, so a hit answers and logs like the assembly did.
 */
import type { EdgeCacheEntry } from '../ports.ts';
import { allStrings } from './string-list.ts';

export interface StoredPage {
  body: Uint8Array<ArrayBuffer>;
  status: number;
  contentType: string;
  /** What the copy exposed and the decision token in it, so a hit logs the same. */
  experiment?: StoredExperiment;
}

export interface StoredExperiment {
  exposed: string[];
  decision: string | null;
}

interface StoredMeta {
  status: number;
  contentType: string;
  experiment?: StoredExperiment;
}

export function storedMeta(page: StoredPage): string {
  const meta: StoredMeta = { status: page.status, contentType: page.contentType };
  const experiment = experimentOf(page);
  if (experiment !== null) meta.experiment = experiment;
  return JSON.stringify(meta);
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
  if (typeof meta !== 'object' || meta === null || typeof meta.status !== 'number' || typeof meta.contentType !== 'string') return null;
  // Cache entries are always backed by a plain ArrayBuffer, never shared memory. Fields written
  // out, not spread: every page-cache hit reads one, and in the Wasm guest a spread runs the
  // engine's self-hosted code, interpreted.
  const page: StoredPage = { body: entry.body as Uint8Array<ArrayBuffer>, status: meta.status, contentType: meta.contentType };
  const experiment = experimentOf(meta);
  if (experiment !== null) page.experiment = experiment;
  return page;
}

function experimentOf(source: { experiment?: unknown }): StoredExperiment | null {
  const e = source.experiment as Partial<StoredExperiment> | undefined;
  if (typeof e !== 'object' || e === null || !Array.isArray(e.exposed) || !allStrings(e.exposed)) return null;
  return { exposed: e.exposed, decision: typeof e.decision === 'string' ? e.decision : null };
}

