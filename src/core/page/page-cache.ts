/**
 * The assembled-page tier: whole personalized pages stored under a key of the URL, the locale and
 * the values of the ESI variables the page read (its variation, page-variation.ts), only when no
 * part was per-visitor and nothing set a cookie, for the smallest TTL of the parts, tagged with the
 * union of the parts' surrogate keys so a purge of any part drops the page.
 *
 * `openPageCache` reads what the template is known to vary on before the decision is in, so the
 * route can tell whether a lookup needs the profile at all.
 */
import type { EdgeCache } from '../ports.ts';
import type { NormalizedUrl } from '../cache-key/url-normalize.ts';
import type { EsiVariables } from '../esi/esi-variables.ts';
import { pageCacheKey } from '../cache-key/cache-key.ts';
import { readVariation, readsDecision, variationValues, widen, writeVariation } from './page-variation.ts';

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

export interface PageCache {
  /** True when a lookup needs the decision (the page reads the segment or a variant). */
  readonly needsDecision: boolean;
  /** A fresh stored copy for these variable values; null on a miss (always, before any copy). */
  lookup(vars: EsiVariables): Promise<StoredPage | null>;
  /** The variation a page that read `read` would be stored under; null when it cannot be stored. */
  variationFor(read: readonly string[]): string[] | null;
  store(variation: string[], vars: EsiVariables, page: StoredPage, ttlMs: number, surrogateKeys: readonly string[]): Promise<void>;
}

/** `templateKey` is the template-tier key of `url`, which the page's variation hangs off. */
export async function openPageCache(cache: EdgeCache, url: NormalizedUrl, locale: string, templateKey: string): Promise<PageCache> {
  const known = await readVariation(cache, templateKey);
  const keyFor = (variation: readonly string[], vars: EsiVariables) => pageCacheKey({ url, locale, varies: variationValues(variation, vars) });
  return {
    needsDecision: known !== null && readsDecision(known),
    lookup: async (vars) => (known === null ? null : lookupPage(cache, await keyFor(known, vars))),
    variationFor: (read) => widen(known, read),
    async store(variation, vars, page, ttlMs, surrogateKeys) {
      if (variation.join() !== known?.join()) await writeVariation(cache, templateKey, variation);
      if (ttlMs <= 0 || page.body.byteLength > MAX_STORED_PAGE_BYTES) return;
      const meta: StoredMeta = { status: page.status, contentType: page.contentType };
      await cache.insert(await keyFor(variation, vars), page.body, { ttlMs, surrogateKeys, meta: JSON.stringify(meta) });
    },
  };
}

async function lookupPage(cache: EdgeCache, key: string): Promise<StoredPage | null> {
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
