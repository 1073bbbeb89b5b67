/**
 * What a page-cache lookup answers (page-cache.ts): a stored page, or a miss, with the fill when
 * this request is the one to assemble and store it; and the answers known without a claim (a plain
 * read's is page-cache.ts `found`).
 */
import type { EdgeCacheClaim } from '../ports.ts';
import type { PageFill } from './page-fill.ts';
import type { StoredPage } from './stored-page.ts';

/** A stored page, or a miss: with the fill when this request is the one to assemble and store it. */
export type PageLookup = { page: StoredPage; fill: null } | { page: null; fill: PageFill | null };

/** A collapsing lookup that failed: a miss with nothing owed. */
export const NO_CLAIM: EdgeCacheClaim = { entry: null, fill: null };

/** A preview's answer: never from the cache; an early fill is given up for the requests collapsed onto it. */
export async function abandoned(early: PageLookup | null): Promise<PageLookup> {
  await early?.fill?.release('abandon');
  return { page: null, fill: null };
}
