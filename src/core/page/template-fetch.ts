/**
 * Fetches the page template from the `templates` backend. The request is built from scratch with
 * headers the edge sets (nothing copied from the client), for the normalized URL that was keyed,
 * and it goes through the readthrough cache under the template-tier key.
 */
import type { CacheState, Deps } from '../ports.ts';
import type { NormalizedUrl } from '../cache-key/url-normalize.ts';
import { templateCacheKey } from '../cache-key/cache-key.ts';

export type TemplateFetch =
  | { ok: true; response: Response; cache: CacheState; ms: number }
  | { ok: false; reason: 'network' | 'timeout'; ms: number };

export async function fetchTemplate(deps: Deps, url: NormalizedUrl, locale: string): Promise<TemplateFetch> {
  const started = deps.now();
  const request = new Request(url.href, {
    method: 'GET',
    headers: { accept: 'text/html,*/*;q=0.8', 'accept-encoding': 'identity', 'accept-language': locale },
  });
  // The locale is part of the key because it is sent to the origin, which may vary on it.
  const cacheKey = `${await templateCacheKey(url)}|${locale}`;
  try {
    const { response, cache } = await deps.fetchBackend('templates', request, { cacheKey });
    return { ok: true, response, cache, ms: deps.now() - started };
  } catch (error) {
    const reason = error instanceof Error && /timeout/i.test(error.message) ? 'timeout' : 'network';
    return { ok: false, reason, ms: deps.now() - started };
  }
}
