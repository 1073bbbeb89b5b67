/**
 * The assembled-page tier of DESIGN §5.6: whole personalized pages stored under the segment-aware
 * page key, only when no part was per-visitor and nothing set a cookie, for the smallest TTL of the
 * parts, tagged with the union of the parts' surrogate keys so a purge of any part drops the page.
 */
import type { EdgeCache } from '../ports.ts';

export interface StoredPage {
  body: Uint8Array<ArrayBuffer>;
  status: number;
  contentType: string;
}

interface StoredMeta {
  status: number;
  contentType: string;
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
  return meta ? { body: entry.body as Uint8Array<ArrayBuffer>, status: meta.status, contentType: meta.contentType } : null;
}

export async function storePage(
  cache: EdgeCache,
  key: string,
  page: StoredPage,
  ttlMs: number,
  surrogateKeys: readonly string[],
): Promise<void> {
  if (ttlMs <= 0 || page.body.byteLength > MAX_STORED_PAGE_BYTES) return;
  const meta: StoredMeta = { status: page.status, contentType: page.contentType };
  await cache.insert(key, page.body, { ttlMs, surrogateKeys, meta: JSON.stringify(meta) });
}

function parseMeta(text: string): StoredMeta | null {
  try {
    const meta = JSON.parse(text) as Partial<StoredMeta>;
    if (typeof meta.status === 'number' && typeof meta.contentType === 'string') {
      return { status: meta.status, contentType: meta.contentType };
    }
  } catch {
    // fall through: an unreadable entry is a miss
  }
  return null;
}

/** A pass-through stream that keeps a copy of what it forwards, up to a byte cap. */
export function recordingStream(cap: number): {
  stream: TransformStream<Uint8Array, Uint8Array>;
  /** The whole copy once the stream has ended; null on overflow or when it has not ended in time. */
  complete: (waitMs: number) => Promise<Uint8Array<ArrayBuffer> | null>;
} {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let overflow = false;
  let finished: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (finished = resolve));
  const stream = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      if (!overflow) {
        size += chunk.byteLength;
        overflow = size > cap;
        if (overflow) chunks.length = 0;
        else chunks.push(chunk.slice());
      }
      controller.enqueue(chunk);
    },
    flush() {
      finished();
    },
  });
  return {
    stream,
    async complete(waitMs) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), waitMs)));
      const late = await Promise.race([ended.then(() => false), timedOut]);
      clearTimeout(timer);
      return late || overflow ? null : concat(chunks, size);
    },
  };
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
