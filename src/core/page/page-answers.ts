/**
 * Which answer a page request gets, decided from what the page-cache step found (page-lookup.ts),
 * as plain data that the page run turns into the response and the event (page-run.ts):
 *   - a stored copy, personalized head and all;
 *   - no template and no last good copy of it: the unavailable page;
 *   - a template that has not opted in to ESI: passed through untouched, byte for byte;
 *   - a HEAD request (or a template status that has no body), or a template in an encoding the edge
 *     cannot read: the head alone, or a 502;
 *   - otherwise the template's includes stitched while it streams (page-assembly.ts).
 */
import type { Deps, RequestContext } from '../ports.ts';
import type { VisitorPlan } from './visitor-plan.ts';
import type { FoundPage } from './page-lookup.ts';
import type { PageAnswer } from './page-response.ts';
import { releaseFill } from './page-fill.ts';
import { isEsiTemplate } from '../esi/esi-opt-in.ts';
import { decodeBody } from '../http/content-encoding.ts';
import { readOnce } from '../http/header-reader.ts';
import { assemblePage } from './page-assembly.ts';

export interface AnswerSetting {
  deps: Deps;
  context: RequestContext;
  visitor: VisitorPlan;
}

/** Only an HTML answer is a page view worth a decision event. */
const HTML_TYPE = /^\s*(?:text\/html|application\/xhtml\+xml)\s*(?:;|$)/i;
const DEFAULT_TYPE = 'text/html; charset=utf-8';

export function answerPage(found: FoundPage, head: boolean, at: AnswerSetting): PageAnswer {
  if (found.template === null) {
    const { page } = found;
    return { kind: 'personalized', status: page.status, body: head ? null : page.body, contentType: page.contentType, pageCache: 'HIT', assemblyStarted: null, event: { experiment: page.experiment }, later: null };
  }
  const { template, fill, decision } = found;
  // Only a fill is waited for: most pages hold none, and each `waitUntil` adds a promise reaction.
  const settle = (why: 'pass' | 'abandon'): void => {
    if (fill !== null) at.context.waitUntil(releaseFill(fill, why));
  };
  if (!template.ok) {
    settle('abandon');
    return { kind: 'error', status: 503, event: {} };
  }
  const { response } = template;
  // Read once for every step below (the opt-in, the encoding, the TTL, the body, the type).
  const headers = readOnce(response.headers);
  if (!isEsiTemplate(headers)) {
    settle('pass');
    const event = HTML_TYPE.test(headers.get('content-type') ?? '') ? {} : null;
    return { kind: 'origin', status: response.status, body: head ? null : response.body, headers: response.headers, event };
  }
  const decoded = decodeBody(response, headers);
  // A status that has no body (a Response with one throws on 204, 205, 304) gets the head alone, as a HEAD.
  if (decoded.ok && !head && !bodiless(response.status)) return assemblePage({ deps: at.deps, context: at.context, visitor: at.visitor, decision, template, headers, pageCache: found.pageCache, fill, body: decoded.body });
  settle('abandon');
  // The head alone: the template's body is not read.
  if (response.body) at.context.waitUntil(response.body.cancel().catch(() => undefined));
  if (!decoded.ok) return { kind: 'error', status: 502, event: {} };
  const contentType = headers.get('content-type') ?? DEFAULT_TYPE;
  return { kind: 'personalized', status: response.status, body: null, contentType, pageCache: 'BYPASS', assemblyStarted: null, event: {}, later: null };
}

/** The null body statuses a fetch can answer with (Fetch standard): a Response with a body throws on them. */
function bodiless(status: number): boolean {
  return status === 204 || status === 205 || status === 304;
}
