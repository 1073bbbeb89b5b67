/**
 * What the page-cache step needs of the assembled-page tier (page-cache.ts): a lookup before and
 * after the decision, and the page's storing or its pass once assembled; and what it is opened on.
 */
import type { CryptoPort, EdgeCache } from '../ports.ts';
import type { NormalizedUrl } from '../cache-key/url-normalize.ts';
import type { EsiVariables } from '../esi/esi-variables.ts';
import type { PageFill } from './page-fill.ts';
import type { PageLookup } from './page-claim.ts';
import type { StoredPage } from './stored-page.ts';

export interface PageCache {
  /** True when a lookup needs the decision (the page reads the segment or a variant). */
  readonly needsDecision: boolean;
  /**
   * A fresh stored copy for these variable values, waiting for a concurrent assembly of it; as it
   * is when the cache answers at once (a miss or a marker): in the Wasm guest each await is a job.
   */
  lookup(vars: EsiVariables, decided: boolean): PageLookup | Promise<PageLookup>;
  /**
   * The answer once the decision is in: the `early` one (looked up before it), unless the key needs
   * the decision. A QA preview is never served from (or stored in) the page cache. The early
   * answer is handed back as it is, not as a promise: in the Wasm guest each await costs ~10 µs.
   */
  lookupDecided(early: PageLookup | null, vars: EsiVariables, preview: boolean): PageLookup | Promise<PageLookup>;
  /** The variation a page that read `read` would be stored under; null when it cannot be stored. */
  variationFor(read: readonly string[]): string[] | null;
  store(variation: string[], vars: EsiVariables, page: StoredPage, ttlMs: number, surrogateKeys: readonly string[], fill: PageFill | null): Promise<void>;
  /** The filler's page was not shareable: its waiters go on, and later requests skip the key for a while. */
  pass(fill: PageFill): Promise<void>;
}

export interface PageCacheSetting {
  cache: EdgeCache;
  url: NormalizedUrl;
  locale: string;
  templateKey: string;
  hash: Pick<CryptoPort, 'sha256'>;
  /**
   * False for a request that will not store its page (it sets a cookie, or is a HEAD): it reads the key without
   * claiming the fill, so nobody waits on an assembly that stores nothing, and it pays none of the
   * collapsing lookup's work (in the Wasm guest a transaction's async wait, three hostcalls and its
   * promise jobs, then two more to abandon it).
   */
  collapses: boolean;
}
