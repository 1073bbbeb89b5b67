/**
 * Response headers for a personalized page (docs/contracts.md#responses): never cacheable downstream, timing in
 * Server-Timing, the decision in X-Personalization when debug headers are on, and no edge-only
 * headers from the origin.
 */
import type { VisitorPlan } from './visitor-plan.ts';
import type { DecisionPlan } from './decision-plan.ts';
import type { PageCacheState } from '../log/decision-event.ts';

export interface Timings {
  profile: number;
  template: number;
  /** Time spent on fragments before the head was sent; they keep streaming after it. */
  fragments: number;
  total: number;
}

export interface PersonalizedHead {
  contentType: string;
  visitor: VisitorPlan;
  decision: DecisionPlan;
  pageCache: PageCacheState;
  timings: Timings;
}

export function personalizedHeaders(input: PersonalizedHead): HeadersInit {
  const timing = serverTiming(input.timings);
  // A QA preview always says so, so the tester can tell a forced page from a real one.
  const debug = input.visitor.config.settings.debugHeaders || input.decision.preview
    ? debugHeader(input.visitor, input.decision, input.pageCache) + (input.decision.preview ? '; preview=1' : '')
    : null;
  const { cookies } = input.decision;
  // Not a `Headers`: the response builds its own header list from what it is given once; in the
  // Wasm guest a `Headers` built first and handed over costs a second list and a copy. A record
  // when no cookie is set (most pages): no pair arrays to build and walk.
  if (cookies.length === 0) {
    return debug === null
      ? { 'content-type': input.contentType, 'cache-control': NO_STORE, 'server-timing': timing }
      : { 'content-type': input.contentType, 'cache-control': NO_STORE, 'server-timing': timing, 'x-personalization': debug };
  }
  // Name/value pairs: each Set-Cookie is its own field line (RFC 6265 §3: never folded into one).
  const headers: Array<[string, string]> = [['content-type', input.contentType], ['cache-control', NO_STORE], ['server-timing', timing]];
  for (let i = 0; i < cookies.length; i++) headers.push(['set-cookie', cookies[i]!]);
  if (debug !== null) headers.push(['x-personalization', debug]);
  return headers;
}

const NO_STORE = 'private, no-store';

function serverTiming(t: Timings): string {
  const d = (ms: number) => ms.toFixed(1);
  return `profile;dur=${d(t.profile)}, template;dur=${d(t.template)}, fragments;dur=${d(t.fragments)}, total;dur=${d(t.total)}`;
}

/** Segment and variant ids come from the validated config, so they are safe header tokens. */
function debugHeader(visitor: VisitorPlan, decision: DecisionPlan, pageCache: PageCacheState): string {
  const assigned = decision.decision.variants;
  let variants = '';
  // A plain loop, not `entries`/`map`/`join`: in the Wasm guest those run the engine's self-hosted
  // code, interpreted, on every page with debug headers.
  for (const experiment in assigned) variants += `${variants === '' ? '' : ','}${experiment}:${assigned[experiment]!}`;
  return `segment=${decision.decision.segment}; variants=${variants}; consent=${visitor.facts.identity.consent}; cache=${pageCache}`;
}

/** Origin response headers that must never reach a client. */
export const EDGE_ONLY_HEADERS = ['surrogate-control', 'surrogate-key'] as const;

export function withoutEdgeHeaders(source: Headers): Headers {
  const headers = new Headers(source);
  for (const name of EDGE_ONLY_HEADERS) headers.delete(name);
  return headers;
}
