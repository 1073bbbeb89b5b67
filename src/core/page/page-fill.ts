/**
 * Request collapsing on the assembled-page tier. On a page-cache miss one request assembles the
 * page (it holds the fill) and concurrent requests for the same page key wait for it, through the
 * edge cache's collapsing lookup (a pending map on the Node host; core cache transactions are the
 * Compute equivalent), then read what it stored with their own key: they are only ever served a
 * stored, shared page, never another visitor's assembly.
 *
 * The fill is settled once, on every path: with the page when it is stored under this key; with a
 * pass marker when the page turned out not shareable, or a "finer" one when it was stored under a
 * finer key (its variation grew), so the waiters stop waiting and assemble for themselves or (finer)
 * look again, and later requests skip waiting for a while (Varnish's hit-for-pass); or abandoned when the reason was this
 * request's own (a preview, a stale template, a failure), so another request may fill it instead. A
 * request that sets a cookie, or a HEAD, never holds a fill: it reads the key without claiming it (page-cache.ts).
 */
import type { EdgeCacheEntry, EdgeCacheFill, EdgeCacheInsert } from '../ports.ts';

/**
 * How long a waiter waits for the request assembling its page before it assembles for itself: a
 * template's first-byte timeout (2 s in fastly.toml) plus the page deadline, with room.
 */
export const COLLAPSE_WAIT_MS = 3_000;

/** How long a page key that did not yield a shared page is not waited on; storing still works. */
export const PASS_MARKER_TTL_MS = 30_000;

const PASS_META = '{"pass":true}';

/**
 * The marker the filler leaves when it stored the page under a finer key (its variation grew): the
 * only marker worth reading the variation again for. A plain marker means the page was not
 * shareable, and re-reading the variation (an edge-cache lookup and body read, ~0.2 ms of guest
 * CPU in the Wasm guest) would find the one this request read a moment ago.
 */
const FINER_META = '{"pass":true,"finer":true}';

export type FillRelease = 'pass' | 'finer' | 'abandon';

export interface PageFill {
  readonly key: string;
  /** Stores the page under the key and wakes the waiters. */
  insert(body: Uint8Array, options: EdgeCacheInsert): Promise<void>;
  /**
   * No page for the waiters under this key; a no-op once settled. Never rejects. `finer`: the page
   * went under a finer key, which the waiters look up after reading the variation again.
   */
  release(why: FillRelease): Promise<void>;
}

export function pageFill(key: string, fill: EdgeCacheFill): PageFill {
  let settled = false;
  const once = (): boolean => {
    const first = !settled;
    settled = true;
    return first;
  };
  return {
    key,
    async insert(body, options) {
      if (once()) await fill.insert(body, options);
    },
    async release(why) {
      if (!once()) return;
      try {
        if (why === 'abandon') fill.abandon();
        else await fill.insert(new Uint8Array(0), { ttlMs: PASS_MARKER_TTL_MS, meta: why === 'finer' ? FINER_META : PASS_META });
      } catch {
        // A marker that could not be written: the waiters time out, or the platform abandons it.
      }
    },
  };
}

/**
 * A miss after waiting (the filler gave up), or the marker of a page stored under a finer key: the
 * page may be under the variation as it is now, worth reading it again. A plain pass marker (not
 * shareable, for a while) or any other entry is not looked for again: hit-for-pass, as it says.
 */
export function mayBeFiner(entry: EdgeCacheEntry | null): boolean {
  return entry === null || entry.meta === FINER_META;
}

/** The marker of a page stored under a finer key: a plain read (no wait) that finds it looks again. */
export function isFinerMarker(entry: EdgeCacheEntry | null): boolean {
  return entry !== null && entry.meta === FINER_META;
}

/**
 * A request that will not store its page lets the requests waiting on it go on. Not async: without
 * a fill (most pages) there is nothing to wait for, and an async frame's await still costs a
 * promise job (~10 µs in the Wasm guest). `release` never rejects.
 */
export function releaseFill(fill: PageFill | null, why: FillRelease): Promise<void> {
  return fill === null ? RELEASED : fill.release(why);
}

const RELEASED: Promise<void> = Promise.resolve();
