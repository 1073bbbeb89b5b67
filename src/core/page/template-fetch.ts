/**
 * Fetches the page template from the `templates` backend. The request is built from scratch with
 * headers the edge sets (nothing copied from the client), for the normalized URL that was keyed,
 * and it goes through the readthrough cache under the template-tier key. When the origin is down
 * (network error, timeout or a 5xx) the last good copy stands in, reported as STALE.
 *
 * A shared breaker (template-breaker.ts) keeps a hanging origin from costing every request its
 * first-byte timeout: while it is open the last good copy (or the fallback) answers at once.
 */
import type { CacheState, Deps, EdgeGet, RequestContext } from '../ports.ts';
import type { NormalizedUrl } from '../cache-key/url-normalize.ts';
import { readStaleTemplate } from './stale-template.ts';
import { callBackend } from '../backend/backend-call.ts';
import { NOTHING_TO_RECORD } from '../backend/circuit-breaker.ts';
import { admitTemplate, probeTemplateOrigin, recordTemplateCall } from './template-breaker.ts';

export interface FetchedTemplate {
  ok: true;
  response: Response;
  cache: CacheState;
  ms: number;
  /** Where the last good copy of this template is kept (stale-template.ts). */
  staleKey: string;
}

export type TemplateFailure = 'network' | 'timeout' | 'status' | 'breaker-open';

export type TemplateFetch = FetchedTemplate | { ok: false; reason: TemplateFailure; ms: number };

/** `templateKey` is the template-tier key of `url` (cache-key.ts). */
export async function fetchTemplate(deps: Deps, context: Pick<RequestContext, 'waitUntil'>, url: NormalizedUrl, locale: string, templateKey: string): Promise<TemplateFetch> {
  const started = deps.now();
  // A plain GET, not a `Request`: cheaper in the Wasm guest (ports.ts `EdgeGet`).
  const request = (): EdgeGet => ({ url: url.href, headers: { accept: 'text/html,*/*;q=0.8', 'accept-encoding': 'identity', 'accept-language': locale } });
  // The locale goes to the origin as Accept-Language, but is not a key part: an origin whose
  // template differs by language says so with `Vary: Accept-Language`, which the readthrough cache
  // honours (RFC 9110 §12.5.5), so templates that do not vary keep one copy per URL.
  // The last good copy is kept per locale: it stands in without asking the origin about Vary.
  const staleKey = `${templateKey}|${locale}`;
  const admission = await admitTemplate(deps.cache);
  if (!admission.allowed || admission.probe) {
    // Open, or half-open with this request holding the probe: the probe runs after the answer.
    if (admission.allowed) context.waitUntil(probeTemplateOrigin(deps, admission, request(), templateKey));
    return standIn(deps, staleKey, 'breaker-open', started);
  }
  const call = await callBackend(deps, { backend: 'templates', request: request(), cacheKey: templateKey, timeoutMs: null });
  // Before answering: the next request must already see a breaker this failure opened. An
  // uneventful success writes nothing, so this costs nothing on the common path.
  const recording = recordTemplateCall(deps.cache, admission, call);
  if (recording !== NOTHING_TO_RECORD) await recording;
  if (call.ok && call.response.status < 500) return { ok: true, response: call.response, cache: call.cache, ms: deps.now() - started, staleKey };
  return standIn(deps, staleKey, call.ok ? call.discard('status' as const) : call.reason, started);
}

/** The last good copy, or the failure when there is none. */
async function standIn(deps: Deps, staleKey: string, failure: TemplateFailure, started: number): Promise<TemplateFetch> {
  const stale = await readStaleTemplate(deps.cache, staleKey);
  if (stale) return { ok: true, response: stale, cache: 'STALE', ms: deps.now() - started, staleKey };
  return { ok: false, reason: failure, ms: deps.now() - started };
}

/** A stored page answered after all: the template fetched alongside the profile is not needed. */
export async function discardTemplate(fetching: Promise<TemplateFetch> | null): Promise<void> {
  const template = await fetching;
  if (template?.ok) await template.response.body?.cancel().catch(() => undefined);
}
