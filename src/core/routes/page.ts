/**
 * Page requests: everything that is not an edge route. Decide (context, identity, profile,
 * segment, variants), then act: serve the assembled page from the edge cache when a copy built
 * from the same inputs exists, or fetch the template and stitch its ESI includes while streaming.
 */
import type { Deps, RequestContext } from '../ports.ts';
import { errorPage } from '../http/error-page.ts';
import { decodeBody } from '../http/content-encoding.ts';
import { planDecision, planVisitor, esiVariablesFor } from '../page/page-plan.ts';
import { fetchTemplate } from '../page/template-fetch.ts';
import { lookupPage } from '../page/page-cache.ts';
import { personalizedHeaders, withoutEdgeHeaders } from '../page/page-headers.ts';
import { createEventWriter } from '../page/page-event.ts';
import { readVariation, variationValues } from '../page/page-variation.ts';
import { assemblePage } from '../page/page-assembly.ts';
import { isEsiTemplate } from '../esi/esi-opt-in.ts';
import { pageCacheKey, templateCacheKey } from '../cache-key/cache-key.ts';

const UNAVAILABLE = 'This page is temporarily unavailable. Please try again shortly.';

export async function handlePage(request: Request, deps: Deps, context: RequestContext): Promise<Response> {
  const started = deps.now();
  const elapsed = () => deps.now() - started;
  const head = request.method === 'HEAD';
  const visitor = await planVisitor(request, deps, context);
  const decision = await planDecision(visitor, deps, context);
  const writeEvent = createEventWriter(deps, context, visitor, decision);
  const vars = esiVariablesFor(visitor, decision);
  const locale = visitor.context.locale;
  const templateKey = await templateCacheKey(visitor.url, deps.crypto);

  const variation = await readVariation(deps.cache, templateKey);
  if (variation) {
    const pageKey = await pageCacheKey({ url: visitor.url, locale, varies: variationValues(variation, vars) }, deps.crypto);
    const stored = await lookupPage(deps.cache, pageKey);
    if (stored) {
      const headers = personalizedHeaders({
        contentType: stored.contentType, visitor, decision, pageCache: 'HIT',
        timings: { profile: decision.profile.ms, template: 0, fragments: 0, total: elapsed() },
      });
      writeEvent({ status: stored.status, template: { cache: 'HIT', ms: 0 }, fragments: [], pageCache: 'HIT', ttfbMs: elapsed(), totalMs: elapsed() });
      return new Response(head ? null : stored.body, { status: stored.status, headers });
    }
  }

  const template = await fetchTemplate(deps, visitor.url, locale, templateKey);
  if (!template.ok) {
    writeEvent({ status: 503, template: { cache: 'MISS', ms: template.ms }, fragments: [], pageCache: 'BYPASS', ttfbMs: elapsed(), totalMs: elapsed() });
    return errorPage(503, UNAVAILABLE);
  }
  const { response } = template;
  const templateEvent = { cache: template.cache, ms: template.ms };
  if (!isEsiTemplate(response.headers)) {
    // Not opted in to ESI: passed through untouched, byte for byte, with no personalization.
    writeEvent({ status: response.status, template: templateEvent, fragments: [], pageCache: 'BYPASS', ttfbMs: elapsed(), totalMs: elapsed() });
    return new Response(head ? null : response.body, { status: response.status, headers: withoutEdgeHeaders(response.headers) });
  }
  const decoded = decodeBody(response);
  if (!decoded.ok || head) {
    await response.body?.cancel();
    const status = decoded.ok ? response.status : 502;
    writeEvent({ status, template: templateEvent, fragments: [], pageCache: 'BYPASS', ttfbMs: elapsed(), totalMs: elapsed() });
    if (!decoded.ok) return errorPage(502, UNAVAILABLE);
    const headers = personalizedHeaders({
      contentType: response.headers.get('content-type') ?? 'text/html; charset=utf-8', visitor, decision, pageCache: 'BYPASS',
      timings: { profile: decision.profile.ms, template: template.ms, fragments: 0, total: elapsed() },
    });
    return new Response(null, { status, headers });
  }
  return assemblePage({ deps, context, visitor, decision, vars, template, templateKey, variation, body: decoded.body, started, writeEvent });
}
