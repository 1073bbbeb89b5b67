/**
 * Page requests: everything that is not an edge route. Decide (context, identity, profile,
 * segment, variants, keys), then act: serve the assembled page from the edge cache, or fetch the
 * template, stitch its ESI includes while streaming, and store the result when it is shareable.
 */
import type { Deps, RequestContext } from '../ports.ts';
import { errorPage } from '../http/error-page.ts';
import { planDecision, planVisitor, type DecisionPlan, type VisitorPlan } from '../page/page-plan.ts';
import { fetchTemplate } from '../page/template-fetch.ts';
import { lookupPage, recordingStream, storePage, MAX_STORED_PAGE_BYTES } from '../page/page-cache.ts';
import { personalizedHeaders, withoutEdgeHeaders } from '../page/page-headers.ts';
import { createEventWriter } from '../page/page-event.ts';
import { isEsiTemplate } from '../esi/esi-opt-in.ts';
import { processEsi } from '../esi/esi-processor.ts';
import { createFragmentFetcher } from '../esi/fragment-fetcher.ts';
import { normalizeUrl } from '../cache-key/url-normalize.ts';
import { fragmentCacheKey } from '../cache-key/cache-key.ts';
import { responseTtlMs } from '../http/cache-ttl.ts';
import { decodeBody } from '../http/content-encoding.ts';
import { writeStaleTemplate } from '../page/stale-template.ts';
import { MAX_TEMPLATE_BYTES } from '../esi/esi-limits.ts';

export async function handlePage(request: Request, deps: Deps, context: RequestContext): Promise<Response> {
  const started = deps.now();
  const visitor = await planVisitor(request, deps, context);
  const decision = await planDecision(visitor, deps, context);
  const writeEvent = createEventWriter(deps, context, visitor, decision);
  const elapsed = () => deps.now() - started;
  const head = request.method === 'HEAD';

  const stored = await lookupPage(deps.cache, decision.pageKey);
  if (stored) {
    const headers = personalizedHeaders({
      contentType: stored.contentType, visitor, decision, pageCache: 'HIT',
      timings: { profile: decision.profile.ms, template: 0, fragments: 0, total: elapsed() },
    });
    writeEvent({ status: stored.status, template: { cache: 'HIT', ms: 0 }, fragments: [], pageCache: 'HIT', ttfbMs: elapsed(), totalMs: elapsed() });
    return new Response(head ? null : stored.body, { status: stored.status, headers });
  }

  const template = await fetchTemplate(deps, visitor.url, visitor.context.locale);
  if (!template.ok) {
    writeEvent({ status: 503, template: { cache: 'MISS', ms: template.ms }, fragments: [], pageCache: 'BYPASS', ttfbMs: elapsed(), totalMs: elapsed() });
    return errorPage(503, 'This page is temporarily unavailable. Please try again shortly.');
  }
  const { response } = template;
  if (!isEsiTemplate(response.headers)) {
    // Not opted in to ESI: passed through untouched, byte for byte, with no personalization.
    writeEvent({ status: response.status, template: { cache: template.cache, ms: template.ms }, fragments: [], pageCache: 'BYPASS', ttfbMs: elapsed(), totalMs: elapsed() });
    return new Response(head ? null : response.body, { status: response.status, headers: withoutEdgeHeaders(response.headers) });
  }
  const decoded = decodeBody(response);
  if (!decoded.ok || request.method === 'HEAD') {
    await response.body?.cancel();
    const status = decoded.ok ? response.status : 502;
    writeEvent({ status, template: { cache: template.cache, ms: template.ms }, fragments: [], pageCache: 'BYPASS', ttfbMs: elapsed(), totalMs: elapsed() });
    if (!decoded.ok) return errorPage(502, 'This page is temporarily unavailable. Please try again shortly.');
    const headers = personalizedHeaders({
      contentType: response.headers.get('content-type') ?? 'text/html; charset=utf-8', visitor, decision, pageCache: 'BYPASS',
      timings: { profile: decision.profile.ms, template: template.ms, fragments: 0, total: elapsed() },
    });
    return new Response(null, { status, headers });
  }
  return assemble({ deps, context, visitor, decision, template, body: keepStaleCopy(deps, context, template, decoded.body), started, writeEvent });
}

/** After a fresh origin fetch of a shareable template, keeps its bytes as the last good copy. */
function keepStaleCopy(
  deps: Deps,
  context: RequestContext,
  template: { response: Response; cache: string; key: string },
  body: ReadableStream<Uint8Array>,
): ReadableStream<Uint8Array> {
  const { response } = template;
  if (template.cache !== 'MISS' || response.status !== 200 || responseTtlMs(response.headers) === null) return body;
  const recorder = recordingStream(MAX_TEMPLATE_BYTES);
  context.waitUntil(
    recorder.complete(30_000).then(async (bytes) => {
      if (bytes) await writeStaleTemplate(deps.cache, template.key, response.headers, bytes);
    }),
  );
  return body.pipeThrough(recorder.stream);
}

interface AssembleInput {
  deps: Deps;
  context: RequestContext;
  visitor: VisitorPlan;
  decision: DecisionPlan;
  template: { response: Response; cache: 'HIT' | 'MISS' | 'STALE' | 'PASS'; ms: number; key: string };
  body: ReadableStream<Uint8Array>;
  started: number;
  writeEvent: ReturnType<typeof createEventWriter>;
}

function assemble(input: AssembleInput): Response {
  const { deps, context, visitor, decision, template, started, writeEvent } = input;
  const { response } = template;
  const locale = visitor.context.locale;
  const esiStarted = deps.now();
  const { body, report } = processEsi({
    body: input.body,
    pageUrl: new URL(visitor.url.href),
    vars: {
      segment: decision.decision.segment,
      variants: decision.decision.variants,
      geo: visitor.context.geo,
      device: visitor.context.device,
      locale,
      visitor: visitor.context.personalize ? visitor.context.visitorId : null,
      query: visitor.url.query.replace(/^\?/, ''),
    },
    settings: visitor.config.settings,
    fetchFragment: createFragmentFetcher({
      fetchBackend: (backend, request, options) => deps.fetchBackend(backend, request, options),
      locale,
      cacheKeyFor: async (url) => `${await fragmentCacheKey(normalizeUrl(url))}|${locale}`,
      now: () => deps.now(),
    }),
    now: () => deps.now(),
    onProblem: (problem) => console.warn(`esi: ${problem}`),
  });

  const templateTtl = responseTtlMs(response.headers);
  const storable = response.status === 200 && decision.cookies.length === 0 && templateTtl !== null;
  const recorder = storable ? recordingStream(MAX_STORED_PAGE_BYTES) : null;
  const clientBody = recorder ? body.pipeThrough(recorder.stream) : body;
  const contentType = response.headers.get('content-type') ?? 'text/html; charset=utf-8';
  const ttfbMs = deps.now() - started;
  const headers = personalizedHeaders({
    contentType, visitor, decision, pageCache: storable ? 'MISS' : 'BYPASS',
    timings: { profile: decision.profile.ms, template: template.ms, fragments: deps.now() - esiStarted, total: ttfbMs },
  });

  context.waitUntil(
    report.then(async (result) => {
      const shareable = recorder !== null && !result.perVisitor && result.minTtlMs !== null;
      writeEvent({
        status: response.status, template: { cache: template.cache, ms: template.ms }, fragments: result.fragments,
        pageCache: shareable ? 'MISS' : 'BYPASS', ttfbMs, totalMs: deps.now() - started,
      });
      // The copy is complete only once the client has read the whole page; a client that goes
      // away leaves it incomplete, and then nothing is stored.
      const bytes = shareable ? await recorder.complete(visitor.config.settings.pageDeadlineMs + 5_000) : null;
      if (bytes && templateTtl !== null && result.minTtlMs !== null) {
        const surrogateKeys = [...new Set([...surrogateKeysOf(response.headers), ...result.surrogateKeys])];
        await storePage(deps.cache, decision.pageKey, { body: bytes, status: 200, contentType }, Math.min(templateTtl, result.minTtlMs), surrogateKeys);
      }
    }),
  );
  return new Response(clientBody, { status: response.status, headers });
}

function surrogateKeysOf(headers: Headers): string[] {
  return (headers.get('surrogate-key') ?? '').split(' ').filter((key) => key.length > 0 && key.length <= 256);
}
