/**
 * The assembled-page tier: whole personalized pages stored under a key of the URL, the locale and
 * the values of the ESI variables the page read (its variation, page-variation.ts), only when no
 * part was per-visitor and nothing set a cookie (ranked includes are holes a hit fills, page-holes.ts), for the smallest TTL of the parts, tagged with the
 * union of the parts' surrogate keys so a purge of any part drops the page. Concurrent misses of
 * one key collapse onto one assembly (page-fill.ts); a request that sets a cookie, or a HEAD, only reads the key.
 *
 * `openPageCache` reads what the template is known to vary on before the decision is in, so the
 * route can tell whether a lookup needs the profile at all.
 */
import type { EdgeCacheClaim, EdgeCacheEntry } from '../ports.ts';
import type { PageCache, PageCacheSetting } from './page-cache-port.ts';
import type { EsiVariables } from '../esi/esi-variables.ts';
import { pageCacheKey, type CacheKey } from '../cache-key/cache-key.ts';
import { readVariation, readVariationThen, readsDecision, variationValues, widen, writeVariation, writeVariationPass } from './page-variation.ts';
import { COLLAPSE_WAIT_MS, isFinerMarker, mayBeFiner, pageFill, type PageFill } from './page-fill.ts';
import { pageOf, storedBody, storedMeta, type StoredPage } from './stored-page.ts';
import { abandoned, NO_CLAIM, type PageLookup } from './page-claim.ts';
import { readEntrySoon, readEntryThen } from '../edge-cache-read.ts';

export type { StoredExperiment, StoredPage } from './stored-page.ts';
export type { PageLookup } from './page-claim.ts';
export type { PageCache, PageCacheSetting } from './page-cache-port.ts';

/** Pages larger than this are served but not stored (the template cap is 2 MiB; fragments add more). */
export const MAX_STORED_PAGE_BYTES = 4 * 1024 * 1024;

/** The page's variation hangs off `templateKey`, the template-tier key of `url`. */
export function openPageCache(at: PageCacheSetting): PageCache | Promise<PageCache> {
  // Made at once, or in the variation lookup's own reaction, not in an async wrapper or a second
  // reaction: in the Wasm guest each promise job costs ~10 µs.
  return readVariationThen(at.cache, at.templateKey, (known, passed) => new VariedPageCache(at, known, passed === at.locale));
}

class VariedPageCache implements PageCache {
  constructor(
    private readonly at: PageCacheSetting,
    /** The variation this request knows: read at the start, or finer after a collapsed wait. */
    private known: string[] | null,
    /** No variation, and the variation's entry is a pass marker for this locale: the page key holds one too. */
    private readonly passed: boolean,
  ) {}

  get needsDecision(): boolean {
    return this.known !== null && readsDecision(this.known);
  }

  lookup(vars: EsiVariables, decided: boolean): PageLookup | Promise<PageLookup> {
    if (this.passed && this.known === null) return { page: null, fill: null };
    const soon = this.keyFor(this.known ?? [], vars);
    return typeof soon === 'string' ? this.lookupAt(soon, vars, decided) : soon.then((key) => this.lookupAt(key, vars, decided));
  }

  /** A failed lookup is a miss. Not async: the claim is handed on as it is when the cache knows it at once. */
  private lookupAt(key: string, vars: EsiVariables, decided: boolean): PageLookup | Promise<PageLookup> {
    if (!this.at.collapses) return readEntrySoon(this.at.cache, key, (entry) => this.found(entry, false, vars, decided));
    let claim: EdgeCacheClaim | Promise<EdgeCacheClaim> = NO_CLAIM;
    try {
      claim = this.at.cache.lookupOrFill(key, COLLAPSE_WAIT_MS);
    } catch {
      // claim stays a miss
    }
    if (!(claim instanceof Promise)) return this.claimed(key, claim, vars, decided);
    return claim.then((found) => this.claimed(key, found, vars, decided), () => this.claimed(key, NO_CLAIM, vars, decided));
  }

  /** The answer a claim gives: the fill, or what the entry holds. */
  private claimed(key: string, claim: EdgeCacheClaim, vars: EsiVariables, decided: boolean): PageLookup | Promise<PageLookup> {
    return claim.fill ? { page: null, fill: pageFill(key, claim.fill) } : this.found(claim.entry, true, vars, decided);
  }

  /** The page an entry holds; a miss that may be a page keyed finer is looked up again (`claimed`: a bare miss too, the filler gave up). */
  private found(entry: EdgeCacheEntry | null, claimed: boolean, vars: EsiVariables, decided: boolean): PageLookup | Promise<PageLookup> {
    const page = pageOf(entry);
    if (page || !(claimed ? mayBeFiner(entry) : isFinerMarker(entry))) return { page, fill: null };
    return this.lookAgain(vars, decided).then((again) => ({ page: again, fill: null }));
  }

  lookupDecided(early: PageLookup | null, vars: EsiVariables, preview: boolean): PageLookup | Promise<PageLookup> {
    if (preview) return abandoned(early);
    if (early !== null && (early.page !== null || early.fill !== null || !this.needsDecision)) return early;
    return this.lookup(vars, true);
  }

  variationFor(read: readonly string[]): string[] | null {
    return widen(this.known, read);
  }

  async store(variation: string[], vars: EsiVariables, page: StoredPage, ttlMs: number, surrogateKeys: readonly string[], fill: PageFill | null): Promise<void> {
    const { cache, templateKey } = this.at;
    const grew = variation.join() !== this.known?.join();
    if (grew) await writeVariation(cache, templateKey, variation);
    const body = storedBody(page);
    if (ttlMs > 0 && body.byteLength <= MAX_STORED_PAGE_BYTES) {
      const soon = this.keyFor(variation, vars);
      const key = typeof soon === 'string' ? soon : await soon;
      const options = { ttlMs, surrogateKeys, meta: storedMeta(page) };
      await (fill?.key === key ? fill.insert(body, options) : cache.insert(key, body, options));
    }
    // Stored under a finer key (the variation grew): the waiters look again. Not stored at all
    // under this variation: a plain marker, nothing finer to find.
    if (fill) await fill.release(grew ? 'finer' : 'pass');
  }

  async pass(fill: PageFill): Promise<void> {
    const { cache, templateKey, locale } = this.at;
    try {
      if (this.known === null) await writeVariationPass(cache, templateKey, locale);
    } catch {
      // No marker in the variation: later requests read the one under the page key.
    }
    await fill.release('pass');
  }

  /** After waiting on another request's fill that left no page here: its page may be keyed finer. */
  private async lookAgain(vars: EsiVariables, decided: boolean): Promise<StoredPage | null> {
    let again = readVariation(this.at.cache, this.at.templateKey);
    if (again instanceof Promise) again = await again;
    if (again === null || again.join() === this.known?.join()) return null;
    this.known = again;
    // Without the decision the finer key cannot be computed yet; the route looks up again with it.
    if (!decided && readsDecision(again)) return null;
    return readEntryThen(this.at.cache, await this.keyFor(again, vars), pageOf);
  }

  /** The key, awaited only when it is a digest's promise (a key past 1 KiB): an await costs a promise job in the guest. */
  private keyFor(variation: readonly string[], vars: EsiVariables): CacheKey {
    const { url, locale, hash } = this.at;
    return pageCacheKey({ url, locale, varies: variationValues(variation, vars) }, hash);
  }
}
