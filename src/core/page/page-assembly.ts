/**
 * Stitches an ESI template while it streams to the client: the page's answer is the stream with
 * the personalized head (page-run.ts turns it into the response), and, once the page is complete,
 * its event and its copy in the page cache when it is shareable (page-finish.ts): no part
 * per-visitor, no cookie set, every part cacheable, for the smallest TTL of its parts.
 */
import type { Deps, RequestContext } from '../ports.ts';
import type { VisitorPlan } from './visitor-plan.ts';
import type { DecisionPlan } from './decision-plan.ts';
import type { PageCache } from './page-cache.ts';
import type { FetchedTemplate } from './template-fetch.ts';
import type { PageFill } from './page-fill.ts';
import type { PersonalizedAnswer } from './page-response.ts';
import { writeEsi, type AssemblyReport, type ProcessEsiOptions } from '../esi/esi-processor.ts';
import { pageStream } from '../esi/page-writer.ts';
import { chunkViewsFor } from '../esi/runtime-views.ts';
import { createFragmentFetcher } from '../esi/fragment-fetcher.ts';
import { normalizeUrl } from '../cache-key/url-normalize.ts';
import { queryMemo, type QueryMemo } from '../cache-key/query-normalize.ts';
import { fragmentCacheKey } from '../cache-key/cache-key.ts';
import { freshnessLeftMs } from '../http/cache-ttl.ts';
import type { HeaderReader } from '../http/header-reader.ts';
import { MAX_STORED_PAGE_BYTES } from './page-cache.ts';
import { BodyCopy } from './record-body.ts';
import { keepStaleTemplate } from './stale-template.ts';
import { templateSource } from './template-source.ts';
import { pageExperiments, type PageExperiments } from './page-experiments.ts';
import { finishPage } from './page-finish.ts';

export interface Assembly {
  deps: Deps;
  context: RequestContext;
  visitor: VisitorPlan;
  decision: DecisionPlan;
  template: FetchedTemplate;
  /** The template's headers, read once (header-reader.ts). */
  headers: HeaderReader;
  pageCache: PageCache;
  /** This request's obligation to store the page for the requests collapsed onto it. */
  fill: PageFill | null;
  body: ReadableStream<Uint8Array>;
}

export function assemblePage(input: Assembly): PersonalizedAnswer {
  const { deps, decision, template, headers } = input;
  const { response } = template;
  const assemblyStarted = deps.now();
  const templateTtl = freshnessLeftMs(headers);
  // A page built from a stale template (origin down, or served while revalidating) is not stored:
  // it would outlive the template's lifetime.
  const storable = response.status === 200 && template.cache !== 'STALE' && decision.cookies.length === 0 && templateTtl !== null && !decision.preview;
  // The page's copy is kept by the ESI writer itself, not by a second stream around it.
  const pageCopy = storable ? new BodyCopy(MAX_STORED_PAGE_BYTES) : null;
  const { body, report, experiments } = startEsi(input, templateTtl, pageCopy, assemblyStarted);
  const contentType = headers.get('content-type') ?? 'text/html; charset=utf-8';

  // Known now, before assembling: the requests waiting on this page go on at once. An uncacheable
  // template is the page's own doing (nobody need wait on it for a while); the rest are this
  // request's (a preview, a stale template; a request that sets a cookie holds no fill), so another
  // request may fill the key.
  if (!storable && input.fill !== null) input.context.waitUntil(input.fill.release(templateTtl === null ? 'pass' : 'abandon'));
  const { pageCache, fill } = input;
  const { vars } = decision;
  return {
    kind: 'personalized', status: response.status, body, contentType,
    pageCache: storable ? 'MISS' : 'BYPASS', assemblyStarted, event: null,
    later: (run) => finishPage({ run, vars, response, pageCache, fill, report, experiments, recorder: pageCopy, templateTtl, contentType }),
  };
}

/** Starts the ESI stream over the template body, with this visitor's variables, experiments and fragment fetcher. */
function startEsi(input: Assembly, templateTtl: number | null, tap: BodyCopy | null, startedAt: number): { body: ReadableStream<Uint8Array> | null; report: Promise<AssemblyReport>; experiments: PageExperiments } {
  const { deps, visitor } = input;
  const experiments = pageExperiments(visitor, input.decision);
  const templateTap = keepStaleTemplate(deps.cache, input.template, templateTtl, input.context);
  // The page's query memo (query-normalize.ts), made if an include's URL needs normalizing; its page's query is normal.
  let queries: QueryMemo | undefined;
  // Named, not spread: in the Wasm guest a spread runs the engine's self-hosted copy, interpreted.
  const options: ProcessEsiOptions = {
    exposure: experiments.esiOptions.exposure,
    decisionToken: experiments.esiOptions.decisionToken,
    decisionSoon: experiments.esiOptions.decisionSoon,
    body: templateSource(input.template, input.body, input.headers),
    // The normalized href, which the URL parser gives back unchanged (url-normalize.ts): parsed only if an include needs it.
    pageUrl: visitor.url.href,
    vars: input.decision.vars,
    settings: visitor.config.settings,
    fetchFragment: createFragmentFetcher({
      fetchBackend: deps.fetchBackend,
      locale: visitor.facts.locale,
      // Accept-Language is not a key part: a fragment that varies on it says so with `Vary`.
      cacheKeyFor: (url) => fragmentCacheKey(url.normal ?? normalizeUrl(url, (queries ??= queryMemo(visitor.url.query)))),
      acceptedTypes: visitor.config.settings.fragmentTypes,
      pageStorable: tap !== null,
    }),
    now: () => deps.now(),
    // The page deadline runs from the assembly's start: one clock reading serves both.
    startedAt,
    onProblem: (problem) => console.warn(`esi: ${problem}`),
    views: deps.chunkViews ?? chunkViewsFor(deps.runtime),
    tap: tap ?? undefined,
    templateTap,
  };
  // The host's way out for the page's bytes: a web stream unless the host takes them itself.
  const esi = (input.context.pageBody ?? pageStream)((sink) => writeEsi(options, sink));
  return { body: esi.body, report: esi.report, experiments };
}
