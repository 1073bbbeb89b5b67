/**
 * Purging published content at the edge by surrogate key, when it changes: the recommender purges
 * the candidate lists it replaced, and a deploy of the origin purges what the origin renders from
 * its code (page templates and shared fragments, which do not change while it runs). Locally the
 * edge is the Node host's `POST /__local/purge?key=K[&soft=1]`; on Fastly it is the purge API
 * (`fastly purge --key K`), which the demo does not call.
 */

/**
 * What a deploy of this origin may change. Everything it renders comes from its code, its `.html`
 * files and the catalog, read once per process, so within one deploy templates and fragments are
 * immutable and the edge may keep them for an hour. The candidate lists are not here: they change
 * with each publication, which purges them itself.
 */
export const DEPLOY_SURROGATE_KEYS = ['template', 'frag-hero', 'frag-recs', 'frag-promo'] as const;

/**
 * Purges `key` at the edge (trailing-slash base URL); `soft` marks the copies stale instead, so the
 * edge answers from them while one request per object fetches the new version. False when the edge
 * did not confirm.
 */
export async function purgeEdge(edgeUrl: string, key: string, soft = false): Promise<boolean> {
  const query = new URLSearchParams({ key });
  if (soft) query.set('soft', '1');
  try {
    const response = await fetch(new URL(`__local/purge?${query.toString()}`, edgeUrl), { method: 'POST', signal: AbortSignal.timeout(5000) });
    // Read to the end (the answer is a line of JSON), so the connection goes back to the pool.
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * After a deploy: soft-purges every key a deploy may change, so no visitor waits on a cold edge
 * (every page's old copy answers while it is refreshed) and nothing older than one refresh is
 * served. Returns the keys the edge did not confirm.
 */
export async function purgeDeployedContent(edgeUrl: string): Promise<string[]> {
  const confirmed = await Promise.all(DEPLOY_SURROGATE_KEYS.map((key) => purgeEdge(edgeUrl, key, true)));
  return DEPLOY_SURROGATE_KEYS.filter((_, index) => !confirmed[index]);
}
