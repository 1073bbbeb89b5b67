/**
 * The assembled-page tier of DESIGN §5.6: whole personalized pages stored under the segment-aware
 * page key, only when no part was per-visitor and nothing set a cookie, for the smallest TTL of the
 * parts, tagged with the union of the parts' surrogate keys so a purge of any part drops the page.
 */
import type { EdgeCache } from '../ports.ts';
import { concatBytes } from '../http/concat-bytes.ts';

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

/** Pages larger than this are served but not stored (the template cap is 2 MiB; fragments add more). */
export const MAX_STORED_PAGE_BYTES = 4 * 1024 * 1024;

export async function lookupPage(cache: EdgeCache, key: string): Promise<StoredPage | null> {
  let entry;
  try {
    entry = await cache.lookup(key);
  } catch {
    return null;
  }
  // Stale pages are not served: the parts may have changed, and a miss rebuilds from cached parts.
  if (!entry || entry.stale) return null;
  const meta = parseMeta(entry.meta);
  // Cache entries are always backed by a plain ArrayBuffer, never shared memory.
  return meta ? { body: entry.body as Uint8Array<ArrayBuffer>, status: meta.status, contentType: meta.contentType, ...experimentOf(meta) } : null;
}

export async function storePage(
  cache: EdgeCache,
  key: string,
  page: StoredPage,
  ttlMs: number,
  surrogateKeys: readonly string[],
): Promise<void> {
  if (ttlMs <= 0 || page.body.byteLength > MAX_STORED_PAGE_BYTES) return;
  const meta: StoredMeta = { status: page.status, contentType: page.contentType, ...experimentOf(page) };
  await cache.insert(key, page.body, { ttlMs, surrogateKeys, meta: JSON.stringify(meta) });
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

/**
 * Passes `source` through unchanged (pulled, so backpressure holds) and keeps a copy up to `cap`
 * bytes. `copy` settles once: with the bytes when the source ended, or null as soon as the copy is
 * impossible (over the cap, a read error, or the consumer cancelling), so nothing waits on a
 * stream that will never finish.
 */
export function recordBody(source: ReadableStream<Uint8Array>, cap: number): { stream: ReadableStream<Uint8Array>; copy: Promise<Uint8Array<ArrayBuffer> | null> } {
  const reader = source.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let overflowed = false;
  let settle: (bytes: Uint8Array<ArrayBuffer> | null) => void = () => undefined;
  const copy = new Promise<Uint8Array<ArrayBuffer> | null>((resolve) => (settle = resolve));
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          settle(overflowed ? null : concatBytes(chunks, size));
          return;
        }
        size += value.byteLength;
        if (size <= cap) chunks.push(value.slice());
        else if (!overflowed) {
          overflowed = true;
          chunks.length = 0;
          settle(null);
        }
        controller.enqueue(value);
      } catch (error) {
        settle(null);
        controller.error(error);
      }
    },
    cancel(reason) {
      settle(null);
      return reader.cancel(reason);
    },
  });
  return { stream, copy };
}
