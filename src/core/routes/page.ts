/**
 * Page requests: everything that is not an edge route. The journey, in order:
 *   1. plan the visitor (config, URL, trusted facts, identity), cheap and local, then start their
 *      profile lookup and the decision that waits on it (visitor-plan.ts, profile-client.ts,
 *      decision-plan.ts);
 *   2. record the page view for the visitor's profile, off the page's path;
 *   3. look the page up in the page cache, fetching the template beside the decision unless a
 *      stored copy answers without it (page-lookup.ts);
 *   4. decide the answer: the stored copy, the template passed through untouched when it has not
 *      opted in to ESI, or its includes stitched while it streams (page-answers.ts, page-assembly.ts);
 *   5. respond: the page run (page-run.ts) turns the answer into the response, and derives its
 *      head and its decision event from one record.
 */
import type { Deps, RequestContext } from '../ports.ts';
import { planVisitor } from '../page/visitor-plan.ts';
import { planDecision } from '../page/decision-plan.ts';
import { startLookup } from '../profile/profile-client.ts';
import { recordPageView } from '../feedback/page-view-feedback.ts';
import { findPage } from '../page/page-lookup.ts';
import { answerPage } from '../page/page-answers.ts';
import { PageRun } from '../page/page-run.ts';

/**
 * `failed` answers an unexpected exception (the handler's boundary: a generic 500), caught here in
 * the page's own frame rather than by a `catch` on its promise: one promise job fewer per page.
 */
export async function handlePage(request: Request, deps: Deps, context: RequestContext, failed: (error: unknown) => Response): Promise<Response> {
  try {
    const started = deps.now();
    const head = request.method === 'HEAD';
    const visitor = await planVisitor(request, deps, context);
    // The profile lookup starts here, beside the decision that waits on it; the page lookup reads from
    // it whether there is a call to ask and whether it goes to the store (its template fetch beside that call).
    const waitUntil = (work: Promise<unknown>) => context.waitUntil(work);
    const profile = startLookup(visitor.facts.identity, { cacheId: visitor.pseudonym, settings: visitor.config.settings, deps, waitUntil });
    const deciding = planDecision(visitor, profile.profile);
    if (!head) recordPageView({ path: visitor.url.path, identity: visitor.facts.identity, pseudonym: visitor.pseudonym }, deps, context);
    const found = await findPage(visitor, deciding, profile, head, deps, context);
    const answer = answerPage(found, head, { deps, context, visitor });
    return new PageRun(deps, context, visitor, found, started).respondWith(answer);
  } catch (error) {
    return failed(error);
  }
}
