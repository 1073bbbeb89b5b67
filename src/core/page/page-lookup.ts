/**
 * The page-cache step of a page request. What the template is known to vary on is read first: a
 * page that reads no decision is looked up at once, and a stored copy then answers without the
 * template; on a miss the template fetch starts beside the profile call (it does not depend on the
 * profile). A page whose key needs the decision has been stored lately (its variation is known): it
 * is looked up with the decision first, and the template fetched only once that lookup has missed,
 * since a hit (a consented visitor's too, its ranked includes filled per request, page-holes.ts)
 * would discard it (~0.5 ms of guest CPU and ~27 hostcalls in the Wasm guest). That order costs a
 * miss nothing while the profile answers from its edge-cache entry (at once); when the decision
 * waits on the profile store instead (a network call, up to its budget), the template fetch starts
 * beside that call (issue #11 item 4), told by the lookup itself (started-lookup.ts).
 */
import type { Deps, RequestContext } from '../ports.ts';
import type { VisitorPlan } from './visitor-plan.ts';
import type { DecisionPlan } from './decision-plan.ts';
import type { PageFill } from './page-fill.ts';
import { templateCacheKey } from '../cache-key/cache-key.ts';
import { openPageCache, type PageCache, type StoredPage } from './page-cache.ts';
import { setsCookies } from '../visitor/response-cookies.ts';
import { fetchTemplate, type TemplateFetch } from './template-fetch.ts';
import { filledBody } from './page-holes.ts';
import type { StartedLookup } from '../profile/started-lookup.ts';

interface Decided {
  decision: DecisionPlan;
}

/** A stored copy to serve (any template fetched beside it is discarded), or the fetched template to build from. */
export type FoundPage =
  | (Decided & { page: StoredPage; template: null })
  | (Decided & {
    page: null;
    template: TemplateFetch;
    pageCache: PageCache;
    /** This request's obligation to store the page for the requests collapsed onto it. */
    fill: PageFill | null;
  });

/** The profile lookup as the page step reads it: whether it asks anyone, and whether it is calling the store. */
export type ProfileWait = Pick<StartedLookup, 'asks' | 'state' | 'whenCalling'>;

/**
 * `profile`: the visitor's profile lookup under way, which `deciding` waits on. `head`: a HEAD
 * request, which never stores a page (page-answers.ts), so, like a request that sets a cookie, it
 * reads the key without claiming the fill it would only abandon.
 */
export async function findPage(visitor: VisitorPlan, deciding: Promise<DecisionPlan>, profile: ProfileWait, head: boolean, deps: Deps, context: RequestContext): Promise<FoundPage> {
  const { url, facts: { locale } } = visitor;
  // Awaited only when it is a digest's promise (a URL past 1 KiB): an await costs a promise job in the guest.
  const soon = templateCacheKey(url, deps.crypto);
  const templateKey = typeof soon === 'string' ? soon : await soon;
  const collapses = !head && !setsCookies(visitor.facts.identity, visitor.signingKey);
  // The page cache and its early answer as they are when the cache knows them at once (usually):
  // each await costs a promise job in the guest.
  const opened = openPageCache({ cache: deps.cache, url, locale, templateKey, hash: deps.crypto, collapses });
  const pageCache = opened instanceof Promise ? await opened : opened;
  let early = pageCache.needsDecision ? null : pageCache.lookup(visitor.vars, false);
  if (early instanceof Promise) early = await early;
  const startTemplate = () => fetchTemplate(deps, context, url, locale, templateKey);
  // Beside the profile call when the page missed without the decision; beside a store call when the
  // page is looked up with the decision (started then, or once the lookup calls the store). Never
  // beside an edge-cache answer (the usual one, known by now on Compute): a stored copy then answers
  // without a template fetch (in the Wasm guest ~0.7 ms of CPU, and its discard), nor when there is
  // no profile to ask (decided at once).
  let fetching: Promise<TemplateFetch> | null = null;
  if (early !== null) fetching = early.page === null && profile.asks ? startTemplate() : null;
  else if (profile.state === 'calling') fetching = startTemplate();
  else if (profile.state === 'reading') profile.whenCalling(() => void (fetching = startTemplate()));
  const decision = await deciding;
  // Most pages already have the answer in hand (looked up early): awaited only when it is a promise.
  let found = pageCache.lookupDecided(early, decision.vars, decision.preview);
  if (found instanceof Promise) found = await found;
  const { fill } = found;
  const page = found.page === null || head ? found.page : filled(found.page, visitor, decision);
  if (page) {
    // Most hits fetched no template (nothing to discard): no async call, await and `waitUntil` for nothing.
    if (fetching !== null) context.waitUntil(discardTemplate(fetching));
    return { decision, page, template: null };
  }
  return { decision, page: null, template: await (fetching ?? startTemplate()), pageCache, fill };
}

/**
 * A stored page with its holes ranked for this visitor (page-holes.ts); null when one fails to rank
 * (it ranked when stored, so it cannot, but then the page is a miss, never a 5xx). A HEAD's page
 * keeps its holes: it sends no body.
 */
function filled(page: StoredPage, visitor: VisitorPlan, decision: DecisionPlan): StoredPage | null {
  if (page.holes === undefined) return page;
  const body = filledBody(page.body, page.holes, decision.vars, visitor.config.settings);
  return body === null ? null : { body, status: page.status, contentType: page.contentType, experiment: page.experiment };
}

/** A stored page answered after all: the template fetched alongside the profile is not needed. */
async function discardTemplate(fetching: Promise<TemplateFetch> | null): Promise<void> {
  const template = await fetching;
  if (template?.ok) await template.response.body?.cancel().catch(() => undefined);
}
