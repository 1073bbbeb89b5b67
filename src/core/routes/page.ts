/**
 * Page requests: everything that is not an edge route. The journey, in order:
 *   1. plan the visitor (config, URL, trusted facts, identity), cheap and local, then start their
 *      decision, which waits on the profile store (visitor-plan.ts, decision-plan.ts);
 *   2. record the page view for the visitor's profile, off the page's path;
 *   3. look the page up in the page cache, fetching the template beside the decision unless a
 *      stored copy answers without it (page-lookup.ts);
 *   4. otherwise take the template: pass it through untouched when it has not opted in to ESI,
 *      or stitch its includes while streaming (page-assembly.ts).
 * A page run (page-run.ts) records each step, and derives the headers and the event from it.
 */
import type { Deps, RequestContext } from '../ports.ts';
import { planVisitor } from '../page/visitor-plan.ts';
import { planDecision } from '../page/decision-plan.ts';
import { recordPageView } from '../feedback/page-view-feedback.ts';
import { findPage } from '../page/page-lookup.ts';
import { PageRun } from '../page/page-run.ts';
import { passThrough, serveStored, unavailable, withoutBody } from '../page/page-answers.ts';
import { releaseFill } from '../page/page-fill.ts';
import { isEsiTemplate } from '../esi/esi-opt-in.ts';
import { decodeBody } from '../http/content-encoding.ts';
import { assemblePage } from '../page/page-assembly.ts';

export async function handlePage(request: Request, deps: Deps, context: RequestContext): Promise<Response> {
  const started = deps.now();
  const head = request.method === 'HEAD';
  const visitor = await planVisitor(request, deps, context);
  const deciding = planDecision(visitor, deps, context);
  if (!head) recordPageView({ path: visitor.url.path, identity: visitor.facts.identity, pseudonym: visitor.pseudonym }, deps, context);
  const found = await findPage(visitor, deciding, deps, context);
  const run = new PageRun(deps, context, visitor, found.decision, found.template, started);
  if (found.template === null) return serveStored(run, found.page, head);

  const { template, fill } = found;
  if (!template.ok) {
    context.waitUntil(releaseFill(fill, 'abandon'));
    return unavailable(run);
  }
  if (!isEsiTemplate(template.response.headers)) {
    context.waitUntil(releaseFill(fill, 'pass'));
    return passThrough(run, template, head);
  }
  const decoded = decodeBody(template.response);
  if (!decoded.ok || head) {
    context.waitUntil(releaseFill(fill, 'abandon'));
    return withoutBody(run, template, decoded.ok);
  }
  return assemblePage({ run, context, vars: found.decision.vars, template, pageCache: found.pageCache, fill, body: decoded.body });
}
