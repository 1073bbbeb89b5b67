/**
 * One page request as it runs: it records what happened (the visitor, the decision, the
 * template's cache state and time, what the page cache did, when the head left) and is the
 * request's one exit: it turns the decided answer (page-answers.ts) into the response, and derives
 * the response head (page-response.ts) and the decision event (page-event.ts) from that one record,
 * so every exit reports the same fields, and the debug header and the event never disagree.
 *
 * The page-cache state is what the page cache did for this request, fixed before the head leaves:
 * HIT (served a stored copy), MISS (looked it up, missed, and assembled a page it may store) or
 * BYPASS (no stored copy served, and this request's page is not stored: a preview, a cookie set, a
 * stale template, a failure, a HEAD, a page that is not ESI). Whether the assembled page was then
 * shareable is only known after the head has gone, so it is not part of the state: a page with a
 * per-visitor part is a MISS that is not stored.
 */
import type { Deps, RequestContext } from '../ports.ts';
import type { VisitorPlan } from './visitor-plan.ts';
import type { FoundPage } from './page-lookup.ts';
import { decisionEvent, type FinishDetails, type PageFinisher, type RunRecord } from './page-event.ts';
import { pageResponse, type Leaving, type PageAnswer } from './page-response.ts';
import { sampled, serializeDecisionEvent } from '../log/decision-event.ts';

export class PageRun implements PageFinisher {
  private readonly record: RunRecord;
  private written = false;

  constructor(
    private readonly deps: Deps,
    private readonly context: RequestContext,
    visitor: VisitorPlan,
    /** The template's cache state and time come from `found`: a stored page never asked for it (HIT, 0 ms). */
    found: Pick<FoundPage, 'decision' | 'template'>,
    private readonly started: number,
  ) {
    const { template } = found;
    const timing = template === null ? { cache: 'HIT' as const, ms: 0 } : { cache: template.ok ? template.cache : 'MISS' as const, ms: template.ms };
    this.record = { visitor, decision: found.decision, template: timing, pageCache: 'BYPASS', ttfbMs: null };
  }

  /**
   * The request's one exit: the answer's head leaves and its response is built; its event is
   * written once the response has gone (or left to `later`, once the page has streamed).
   */
  respondWith(answer: PageAnswer): Response {
    const leaving = this.leave(answer);
    if (answer.kind === 'personalized' && answer.later !== null) this.context.waitUntil(answer.later(this));
    let response: Response;
    try {
      response = pageResponse(leaving);
    } catch (error) {
      // No known input makes it throw (a try costs no promise job or hostcall); if one does, the
      // handler answers a 500 and the request still logs its one event, as that 500.
      this.unanswered(answer);
      throw error;
    }
    const { event } = answer;
    if (event !== null) this.context.waitUntil(afterResponse(this, answer.status, event));
    return response;
  }

  /** Writes the decision event once: after the response has gone, or, for an assembled page, once it has streamed (page-finish.ts). */
  finish(status: number, details: FinishDetails = {}): void {
    if (this.written) return;
    this.written = true;
    const { visitor } = this.record;
    for (let i = 0; i < visitor.problems.length; i++) console.warn(`personalization: ${visitor.problems[i]!}`);
    if (!sampled(this.context.requestId, visitor.config.settings.logSampleRate)) return;
    const totalMs = this.deps.now() - this.started;
    const event = decisionEvent(this.record, { context: this.context, deps: this.deps, totalMs }, status, details);
    const line = serializeDecisionEvent(event);
    this.deps.emit('personalization_events', line);
  }

  /** The response could not be built: the event as the handler's 500 (before an assembly's own), and a page stream nobody will read cancelled. */
  private unanswered(answer: PageAnswer): void {
    if (answer.event !== null || answer.kind === 'personalized') this.finish(500);
    const body = answer.kind === 'error' ? null : answer.body;
    if (body instanceof ReadableStream) void body.cancel().catch(() => undefined);
  }

  /** A personalized head marks the time to first byte and what the page cache did. */
  private leave(answer: PageAnswer): Leaving {
    if (answer.kind !== 'personalized') return { answer, head: null };
    const { record } = this;
    const now = this.deps.now();
    record.pageCache = answer.pageCache;
    record.ttfbMs = now - this.started;
    const fragments = answer.assemblyStarted === null ? 0 : now - answer.assemblyStarted;
    const timings = { profile: record.decision.profile.ms, template: record.template.ms, fragments, total: record.ttfbMs };
    return { answer, head: { contentType: answer.contentType, visitor: record.visitor, decision: record.decision, pageCache: record.pageCache, timings } };
  }
}

/**
 * Writes the event once the response has gone: the runtime sends the response in its reaction to
 * the page's promise, queued when the page returns, after this function's first await and before
 * its second. A stored page (most of a store's traffic) so sends its head and body before its event
 * is built and written (~0.2 ms of guest work), for two promise jobs; work after the response must
 * be kept alive with `waitUntil`, or on Compute it dies with the response. An async function: an
 * await on a settled promise makes no promise of its own, a `then` does.
 */
async function afterResponse(run: PageRun, status: number, details: FinishDetails): Promise<void> {
  await SETTLED;
  await SETTLED;
  run.finish(status, details);
}

const SETTLED: Promise<void> = Promise.resolve();
