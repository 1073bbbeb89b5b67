/**
 * Stitches an ESI template while it streams to the client, then, once the page is complete, logs
 * its decision event and stores it in the page cache when it is shareable: no part per-visitor, no
 * cookie set, every part cacheable, for the smallest TTL of its parts.
 */
import type { RequestContext } from '../ports.ts';
import type { EsiVariables } from '../esi/esi-variables.ts';
import type { PageCache } from './page-cache.ts';
import type { PageRun } from './page-run.ts';
import type { FetchedTemplate } from './template-fetch.ts';
import type { PageFill } from './page-fill.ts';
import { processEsi } from '../esi/esi-processor.ts';
import { chunkViewsFor } from '../esi/runtime-views.ts';
import { createFragmentFetcher } from '../esi/fragment-fetcher.ts';
import { MAX_TEMPLATE_BYTES } from '../esi/esi-limits.ts';
import { normalizeUrl } from '../cache-key/url-normalize.ts';
import { fragmentCacheKey } from '../cache-key/cache-key.ts';
import { freshnessLeftMs } from '../http/cache-ttl.ts';
import { MAX_STORED_PAGE_BYTES } from './page-cache.ts';
import { recordBody } from './record-body.ts';
import { writeStaleTemplate } from './stale-template.ts';
import { pageExperiments, type PageExperiments } from '../experiments/page-experiments.ts';
import { finishPage } from './page-finish.ts';

export interface Assembly {
  run: PageRun;
  context: RequestContext;
  vars: EsiVariables;
  template: FetchedTemplate;
  pageCache: PageCache;
  /** This request's obligation to store the page for the requests collapsed onto it. */
  fill: PageFill | null;
  body: ReadableStream<Uint8Array>;
}

export function assemblePage(input: Assembly): Response {
  const { run, template } = input;
  const { response } = template;
  run.assembling();
  const experiments = pageExperiments(run.visitor, run.decision);
  const templateTtl = freshnessLeftMs(response.headers);
  const { body, report } = startEsi(input, experiments.esiOptions, templateTtl);

  // A page built from a stale template (origin down, or served while revalidating) is not stored:
  // it would outlive the template's lifetime.
  const storable = response.status === 200 && template.cache !== 'STALE' && run.decision.cookies.length === 0 && templateTtl !== null && !run.decision.preview;
  const recorder = storable ? recordBody(body, MAX_STORED_PAGE_BYTES) : null;
  const contentType = response.headers.get('content-type') ?? 'text/html; charset=utf-8';
  run.pageCache(storable ? 'MISS' : 'BYPASS');
  const headers = run.headers(contentType);

  // Known now, before assembling: the requests waiting on this page go on at once. An uncacheable
  // template is the page's own doing (nobody need wait on it for a while); the rest are this
  // request's (a cookie, a preview, a stale template), so another request may fill the key.
  if (!storable) input.context.waitUntil(input.fill?.release(templateTtl === null ? 'pass' : 'abandon') ?? Promise.resolve());
  const { vars, pageCache, fill } = input;
  input.context.waitUntil(finishPage({ run, vars, response, pageCache, fill, report, experiments, recorder, templateTtl, contentType }));
  return new Response(recorder ? recorder.stream : body, { status: response.status, headers });
}

/** Starts the ESI stream over the template body, with this visitor's variables and fragment fetcher. */
function startEsi(input: Assembly, esiOptions: PageExperiments['esiOptions'], templateTtl: number | null): ReturnType<typeof processEsi> {
  const { run, vars } = input;
  const { deps, visitor } = run;
  const body = keepStaleCopy(input, templateTtl);
  return processEsi({
    ...esiOptions,
    body,
    pageUrl: new URL(visitor.url.href),
    vars,
    settings: visitor.config.settings,
    fetchFragment: createFragmentFetcher({
      fetchBackend: (backend, request, options) => deps.fetchBackend(backend, request, options),
      locale: visitor.facts.locale,
      // Accept-Language is not a key part: a fragment that varies on it says so with `Vary`.
      cacheKeyFor: (url) => fragmentCacheKey(normalizeUrl(url), deps.crypto),
      now: () => deps.now(),
      acceptedTypes: visitor.config.settings.fragmentTypes,
    }),
    now: () => deps.now(),
    onProblem: (problem) => console.warn(`esi: ${problem}`),
    views: chunkViewsFor(deps.runtime),
  });
}

/** After a fresh origin fetch of a shareable template, keeps its bytes as the last good copy. */
function keepStaleCopy({ run, context, template, body }: Assembly, templateTtl: number | null): ReadableStream<Uint8Array> {
  const { response } = template;
  if (template.cache !== 'MISS' || response.status !== 200 || templateTtl === null) return body;
  const recorder = recordBody(body, MAX_TEMPLATE_BYTES);
  context.waitUntil(
    recorder.copy.then(async (bytes) => {
      if (bytes) await writeStaleTemplate(run.deps.cache, template.staleKey, response.headers, bytes);
    }),
  );
  return recorder.stream;
}
