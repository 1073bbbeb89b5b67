/**
 * Stitches an ESI template while it streams to the client, then, once the page is complete, logs
 * its decision event and stores it when it is shareable: no part per-visitor, no cookie set, every
 * part cacheable. It is stored for the smallest TTL of its parts, tagged with the union of their
 * surrogate keys, under a key of the URL, the locale and the variables the page read.
 */
import type { CacheState, Deps, RequestContext } from '../ports.ts';
import type { DecisionPlan, VisitorPlan } from './page-plan.ts';
import type { EsiVariables } from '../esi/esi-variables.ts';
import type { AssemblyReport } from '../esi/assembly-report.ts';
import { processEsi } from '../esi/esi-processor.ts';
import { createFragmentFetcher } from '../esi/fragment-fetcher.ts';
import { MAX_TEMPLATE_BYTES } from '../esi/esi-limits.ts';
import { normalizeUrl } from '../cache-key/url-normalize.ts';
import { fragmentCacheKey, pageCacheKey } from '../cache-key/cache-key.ts';
import { responseTtlMs } from '../http/cache-ttl.ts';
import { recordBody, storePage, MAX_STORED_PAGE_BYTES } from './page-cache.ts';
import { personalizedHeaders } from './page-headers.ts';
import { writeStaleTemplate } from './stale-template.ts';
import { variationValues, widen, writeVariation } from './page-variation.ts';
import type { createEventWriter } from './page-event.ts';

export interface AssemblyInput {
  deps: Deps;
  context: RequestContext;
  visitor: VisitorPlan;
  decision: DecisionPlan;
  vars: EsiVariables;
  template: { response: Response; cache: CacheState; ms: number; staleKey: string };
  /** The template-tier key of the URL, which the page's remembered variation hangs off. */
  templateKey: string;
  variation: string[] | null;
  body: ReadableStream<Uint8Array>;
  started: number;
  writeEvent: ReturnType<typeof createEventWriter>;
}

export function assemblePage(input: AssemblyInput): Response {
  const { deps, context, visitor, decision, template, started } = input;
  const { response } = template;
  const locale = visitor.context.locale;
  const esiStarted = deps.now();
  const { body, report } = processEsi({
    body: keepStaleCopy(input),
    pageUrl: new URL(visitor.url.href),
    vars: input.vars,
    settings: visitor.config.settings,
    fetchFragment: createFragmentFetcher({
      fetchBackend: (backend, request, options) => deps.fetchBackend(backend, request, options),
      locale,
      // Accept-Language is not a key part: a fragment that varies on it says so with `Vary`.
      cacheKeyFor: (url) => fragmentCacheKey(normalizeUrl(url), deps.crypto),
      now: () => deps.now(),
    }),
    now: () => deps.now(),
    onProblem: (problem) => console.warn(`esi: ${problem}`),
  });

  const templateTtl = responseTtlMs(response.headers);
  // A page built from a stale template (origin down, or served while revalidating) is not stored:
  // it would outlive the template's lifetime.
  const storable = response.status === 200 && template.cache !== 'STALE' && decision.cookies.length === 0 && templateTtl !== null;
  const recorder = storable ? recordBody(body, MAX_STORED_PAGE_BYTES) : null;
  const ttfbMs = deps.now() - started;
  const contentType = response.headers.get('content-type') ?? 'text/html; charset=utf-8';
  const headers = personalizedHeaders({
    contentType, visitor, decision, pageCache: storable ? 'MISS' : 'BYPASS',
    timings: { profile: decision.profile.ms, template: template.ms, fragments: deps.now() - esiStarted, total: ttfbMs },
  });

  context.waitUntil(
    report.then(async (result) => {
      const varies = recorder && shareable(result, input.vars) ? widen(input.variation, result.variables) : null;
      input.writeEvent({
        status: response.status, template: { cache: template.cache, ms: template.ms }, fragments: result.fragments,
        pageCache: varies ? 'MISS' : 'BYPASS', ttfbMs, totalMs: deps.now() - started,
      });
      // The copy is complete only once the client has read the whole page; a client that goes
      // away leaves it incomplete, and then nothing is stored.
      const bytes = varies && recorder ? await recorder.copy : null;
      if (!bytes || !varies || templateTtl === null || result.minTtlMs === null) return;
      if (varies.join() !== input.variation?.join()) await writeVariation(deps.cache, input.templateKey, varies);
      const pageKey = await pageCacheKey({ url: visitor.url, locale, varies: variationValues(varies, input.vars) }, deps.crypto);
      const surrogateKeys = [...new Set([...surrogateKeysOf(response.headers), ...result.surrogateKeys])];
      await storePage(deps.cache, pageKey, { body: bytes, status: 200, contentType }, Math.min(templateTtl, result.minTtlMs), surrogateKeys);
    }),
  );
  return new Response(recorder ? recorder.stream : body, { status: response.status, headers });
}

/** Shareable when nothing in it belongs to one visitor and every part may be cached. */
function shareable(result: AssemblyReport, vars: EsiVariables): boolean {
  const readsVisitor = result.variables.includes('VISITOR') && vars.visitor !== null;
  return !readsVisitor && !result.perVisitor && result.minTtlMs !== null;
}

/** After a fresh origin fetch of a shareable template, keeps its bytes as the last good copy. */
function keepStaleCopy({ deps, context, template, body }: AssemblyInput): ReadableStream<Uint8Array> {
  const { response } = template;
  if (template.cache !== 'MISS' || response.status !== 200 || responseTtlMs(response.headers) === null) return body;
  const recorder = recordBody(body, MAX_TEMPLATE_BYTES);
  context.waitUntil(
    recorder.copy.then(async (bytes) => {
      if (bytes) await writeStaleTemplate(deps.cache, template.staleKey, response.headers, bytes);
    }),
  );
  return recorder.stream;
}

function surrogateKeysOf(headers: Headers): string[] {
  return (headers.get('surrogate-key') ?? '').split(' ').filter((key) => key.length > 0 && key.length <= 256);
}
