/**
 * An assembled page as the page tier keeps it: the bytes, and in the entry's metadata the status,
 * the content type and what the copy exposed, so a hit answers and logs like the assembly did.
 */
import type { EdgeCacheEntry } from '../ports.ts';

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
  const meta: StoredMeta = { status: page.status, contentType: page.contentType, ...experimentOf(page) };
  return JSON.stringify(meta);
}

/**
 * The page in an entry; null for none, a stale one (the parts may have changed, and a miss rebuilds
 * from cached parts), or one whose metadata does not read as a page (a pass marker, say).
 */
export function pageOf(entry: EdgeCacheEntry | null): StoredPage | null {
  if (!entry || entry.stale) return null;
  const meta = parseMeta(entry.meta);
  // Cache entries are always backed by a plain ArrayBuffer, never shared memory.
  return meta ? { body: entry.body as Uint8Array<ArrayBuffer>, status: meta.status, contentType: meta.contentType, ...experimentOf(meta) } : null;
}

function experimentOf(source: { experiment?: unknown }): { experiment?: StoredExperiment } {
  const e = source.experiment as Partial<StoredExperiment> | undefined;
  if (typeof e !== 'object' || e === null || !Array.isArray(e.exposed) || !e.exposed.every((x) => typeof x === 'string')) return {};
  return { experiment: { exposed: e.exposed, decision: typeof e.decision === 'string' ? e.decision : null } };
}

function parseMeta(text: string): StoredMeta | null {
  try {
    const meta = JSON.parse(text) as Partial<StoredMeta>;
    if (typeof meta.status === 'number' && typeof meta.contentType === 'string') {
      return { status: meta.status, contentType: meta.contentType, ...experimentOf(meta) };
    }
  } catch {
    // fall through: an unreadable entry is a miss
  }
  return null;
}
