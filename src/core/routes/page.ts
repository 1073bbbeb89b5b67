/**
 * Page requests: everything that is not an edge route. The journey, in order:
 *   1. plan the visitor (config, URL, trusted context, identity), cheap and local;
 *   2. start the profile call, and, since the template does not depend on the profile, the
 *      template fetch beside it, unless the page cache can answer without the profile;
 *   3. look the page up in the page cache once its key is known, and serve a stored copy;
 *   4. otherwise take the template: pass it through untouched when it has not opted in to ESI,
 *      or stitch its includes while streaming (page-assembly.ts).
 * A page run (page-run.ts) records each step, and derives the headers and the event from it.
 */
import type { Deps, RequestContext } from '../ports.ts';
import { errorPage } from '../http/error-page.ts';
import { decodeBody } from '../http/content-encoding.ts';
import { planDecision, planVisitor } from '../page/page-plan.ts';
import { fetchTemplate, type FetchedTemplate, type TemplateFetch } from '../page/template-fetch.ts';
import { openPageCache, type PageCache, type PageLookup, type StoredPage } from '../page/page-cache.ts';
import type { PageFill } from '../page/page-fill.ts';
import type { EsiVariables } from '../esi/esi-variables.ts';
import { withoutEdgeHeaders } from '../page/page-headers.ts';
import { PageRun } from '../page/page-run.ts';
import { assemblePage } from '../page/page-assembly.ts';
import { isEsiTemplate } from '../esi/esi-opt-in.ts';
import { templateCacheKey } from '../cache-key/cache-key.ts';
import { recordPageView } from '../feedback/page-view-feedback.ts';

const UNAVAILABLE = 'This page is temporarily unavailable. Please try again shortly.';

export async function handlePage(request: Request, deps: Deps, context: RequestContext): Promise<Response> {
  const started = deps.now();
  const head = request.method === 'HEAD';
  const visitor = await planVisitor(request, deps, context);
  const run = new PageRun(deps, context, visitor, started);
  if (!head) recordPageView({ path: visitor.url.path, identity: visitor.facts.identity, pseudonym: visitor.pseudonym }, deps, context);
  const { url, facts: { locale } } = visitor;
  const templateKey = await templateCacheKey(url, deps.crypto);
  const pageCache = await openPageCache(deps.cache, url, locale, templateKey, deps.crypto);

  const deciding = planDecision(visitor, deps, context);
  const early = pageCache.needsDecision ? null : await pageCache.lookup(visitor.vars, false);
  const startTemplate = () => fetchTemplate(deps, context, url, locale, templateKey);
  const templateFetch = early?.page ? null : startTemplate();
  const decision = run.profile(await deciding);
  const { vars } = decision;
  const { page, fill } = await lookupDecided(pageCache, early, vars, decision.preview);
  if (page) {
    context.waitUntil(discard(templateFetch));
    return serveStored(run, page, head);
  }

  const template = await (templateFetch ?? startTemplate());
  run.template({ cache: template.ok ? template.cache : 'MISS', ms: template.ms });
  if (!template.ok) {
    context.waitUntil(release(fill, 'abandon'));
    run.finish(503);
    return errorPage(503, UNAVAILABLE);
  }
  if (!isEsiTemplate(template.response.headers)) {
    context.waitUntil(release(fill, 'pass'));
    return passThrough(run, template, head);
  }
  const decoded = decodeBody(template.response);
  if (!decoded.ok || head) {
    context.waitUntil(release(fill, 'abandon'));
    return withoutBody(run, template, decoded.ok);
  }
  return assemblePage({ run, context, vars, template, pageCache, fill, body: decoded.body });
}

/** The page-cache answer once the decision is in (the early one, unless the key needs the decision). */
async function lookupDecided(pageCache: PageCache, early: PageLookup | null, vars: EsiVariables, preview: boolean): Promise<PageLookup> {
  // A QA preview is never served from (or stored in) the page cache.
  if (preview) {
    await release(early?.fill ?? null, 'abandon');
    return { page: null, fill: null };
  }
  if (early !== null && (early.page !== null || early.fill !== null || !pageCache.needsDecision)) return early;
  return pageCache.lookup(vars, true);
}

/** A request that will not store its page lets the requests waiting on it go on. */
async function release(fill: PageFill | null, why: 'pass' | 'abandon'): Promise<void> {
  await fill?.release(why);
}

function serveStored(run: PageRun, stored: StoredPage, head: boolean): Response {
  run.pageCache('HIT');
  const headers = run.headers(stored.contentType);
  run.finish(stored.status, { experiment: stored.experiment });
  return new Response(head ? null : stored.body, { status: stored.status, headers });
}

/** Not opted in to ESI: passed through untouched, byte for byte, with no personalization. */
function passThrough(run: PageRun, { response }: FetchedTemplate, head: boolean): Response {
  // Only an HTML answer is a page view worth a decision event.
  if (isHtml(response.headers)) run.finish(response.status);
  return new Response(head ? null : response.body, { status: response.status, headers: withoutEdgeHeaders(response.headers) });
}

/** A HEAD request gets the personalized head alone; an undecodable template is a 502. */
async function withoutBody(run: PageRun, { response }: FetchedTemplate, decodable: boolean): Promise<Response> {
  await response.body?.cancel();
  const status = decodable ? response.status : 502;
  run.finish(status);
  if (!decodable) return errorPage(502, UNAVAILABLE);
  const headers = run.headers(response.headers.get('content-type') ?? 'text/html; charset=utf-8');
  return new Response(null, { status, headers });
}

/** A stored page answered after all: the template fetched alongside the profile is not needed. */
async function discard(fetching: Promise<TemplateFetch> | null): Promise<void> {
  const template = await fetching;
  if (template?.ok) await template.response.body?.cancel().catch(() => undefined);
}

function isHtml(headers: Headers): boolean {
  const type = headers.get('content-type') ?? '';
  return /^\s*(?:text\/html|application\/xhtml\+xml)\s*(?:;|$)/i.test(type);
}
