/**
 * Cache headers of published content: page templates, shared fragments and the segments'
 * candidate documents. They change only when something is published (a deploy of the origin, a
 * recommender run), never per visitor, so the edge keeps them for an hour (`Surrogate-Control`,
 * which only the edge reads and strips) and the publisher purges them by surrogate key when they
 * change; browsers get a short `Cache-Control`, because they cannot be purged.
 *
 * `stale-while-revalidate` lets the edge answer from the old copy while one request refreshes it
 * (RFC 5861), so expiry never makes a visitor wait for the origin; the refresh is still one origin
 * fetch per object and TTL.
 */

/** How long the edge keeps published content without asking the origin again. */
export const EDGE_MAX_AGE_SECONDS = 3600;
/** How long past that the edge may serve the old copy while one request revalidates it. */
export const EDGE_STALE_SECONDS = 3600;
/** Browsers and other caches that no purge reaches. */
export const BROWSER_MAX_AGE_SECONDS = 60;

const EDGE = `max-age=${EDGE_MAX_AGE_SECONDS}, stale-while-revalidate=${EDGE_STALE_SECONDS}`;

/** Headers of a published object; `esi` marks a template the edge must process (`content="ESI/1.0"`). */
export function publishedHeaders(options: { esi: boolean; surrogateKeys: string }): Record<string, string> {
  return {
    'surrogate-control': options.esi ? `content="ESI/1.0", ${EDGE}` : EDGE,
    'cache-control': `public, max-age=${BROWSER_MAX_AGE_SECONDS}`,
    'surrogate-key': options.surrogateKeys,
  };
}
