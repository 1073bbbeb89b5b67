/**
 * Fetches the page template from the `templates` backend. The request is built from scratch with
 * headers the edge sets (nothing copied from the client), for the normalized URL that was keyed,
 * and it goes through the readthrough cache under the template-tier key. When the origin is down
 * (network error, timeout or a 5xx) the last good copy stands in, reported as STALE.
 */
import type { CacheState, Deps } from '../ports.ts';
import type { NormalizedUrl } from '../cache-key/url-normalize.ts';
import { readStaleTemplate } from './stale-template.ts';
import { callBackend } from '../backend/backend-call.ts';

export interface FetchedTemplate {
  ok: true;
  response: Response;
  cache: CacheState;
  ms: number;
  /** Where the last good copy of this template is kept (stale-template.ts). */
  staleKey: string;
}

export type TemplateFetch = FetchedTemplate | { ok: false; reason: 'network' | 'timeout' | 'status'; ms: number };

/** `templateKey` is the template-tier key of `url` (cache-key.ts). */
export async function fetchTemplate(deps: Deps, url: NormalizedUrl, locale: string, templateKey: string): Promise<TemplateFetch> {
  const started = deps.now();
  const request = new Request(url.href, {
    method: 'GET',
    headers: { accept: 'text/html,*/*;q=0.8', 'accept-encoding': 'identity', 'accept-language': locale },
  });
  // The locale goes to the origin as Accept-Language, but is not a key part: an origin whose
  // template differs by language says so with `Vary: Accept-Language`, which the readthrough cache
  // honours (RFC 9110 §12.5.5), so templates that do not vary keep one copy per URL.
  // The last good copy is kept per locale: it stands in without asking the origin about Vary.
  const staleKey = `${templateKey}|${locale}`;
  const call = await callBackend(deps, { backend: 'templates', request, cacheKey: templateKey, timeoutMs: null });
  if (call.ok && call.response.status < 500) return { ok: true, response: call.response, cache: call.cache, ms: deps.now() - started, staleKey };
  const failure = call.ok ? call.discard('status' as const) : call.reason;
  const stale = await readStaleTemplate(deps.cache, staleKey);
  if (stale) return { ok: true, response: stale, cache: 'STALE', ms: deps.now() - started, staleKey };
  return { ok: false, reason: failure, ms: deps.now() - started };
}
