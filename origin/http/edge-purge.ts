/**
 * Purging published content at the edge by surrogate key, when it changes: the recommender purges
 * the candidate lists it replaced, and a deploy of the origin purges what the origin renders from
 * its code (page templates and shared fragments, which do not change while it runs).
 *
 * Two edges can be told: the local Node or Wasm host (`POST /__local/purge?key=K[&soft=1]`, one
 * request per key), or a deployed Fastly service through Fastly's purge API (one batch request,
 * fastly-purge-api.ts). `--edge fastly` on the commands picks the API.
 */
import { purgeThroughFastlyApi, type FastlyApiTarget } from './fastly-purge-api.ts';

/**
 * What a deploy of this origin may change. Everything it renders comes from its code, its `.html`
 * files and the catalog, read once per process, so within one deploy templates and fragments are
 * immutable and the edge may keep them for an hour. The candidate lists are not here: they change
 * with each publication, which purges them itself.
 */
export const DEPLOY_SURROGATE_KEYS = ['template', 'frag-hero', 'frag-recs', 'frag-promo'] as const;

/** Where purges go: a local host's base URL (trailing slash), or a Fastly service. */
export type PurgeTarget = { kind: 'local'; url: string } | ({ kind: 'fastly' } & FastlyApiTarget);

/** How a target reads in the commands' one-line reports; the API token never appears. */
export function describeTarget(target: PurgeTarget): string {
  return target.kind === 'local' ? target.url : `Fastly service ${target.serviceId}`;
}

/**
 * Purges `key` at a local edge (trailing-slash base URL); `soft` marks the copies stale instead, so
 * the edge answers from them while one request per object fetches the new version. False when the
 * edge did not confirm.
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

/** Purges `keys` at `target`; returns the keys it did not confirm. */
export async function purgeKeys(target: PurgeTarget, keys: readonly string[], soft: boolean): Promise<string[]> {
  if (target.kind === 'fastly') return purgeThroughFastlyApi(target, keys, soft);
  const confirmed = await Promise.all(keys.map((key) => purgeEdge(target.url, key, soft)));
  return keys.filter((_, index) => !confirmed[index]);
}

/**
 * After a deploy: soft-purges every key a deploy may change, so no visitor waits on a cold edge
 * (every page's old copy answers while it is refreshed) and nothing older than one refresh is
 * served. Returns the keys the edge did not confirm.
 */
export function purgeDeployedContent(target: PurgeTarget): Promise<string[]> {
  return purgeKeys(target, DEPLOY_SURROGATE_KEYS, true);
}
