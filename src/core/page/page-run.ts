/**
 * One page request as it runs: it accumulates what happened (the visitor, the decision, the
 * template's cache state and time, what the page cache did, when the head left, the fragments) and
 * derives the response headers and the decision event from that one record, so every exit reports
 * the same fields, and the debug header and the event never disagree.
 *
 * The page-cache state is what the page cache did for this request, fixed before the head leaves:
 * HIT (served a stored copy), MISS (looked it up, missed, and assembled a page it may store) or
 * BYPASS (not consulted: a preview, a cookie set, a stale template, a failure, a HEAD, a page that
 * is not ESI). Whether the assembled page was then shareable is only known after the head has
 * gone, so it is not part of the state: a page with a per-visitor part is a MISS that is not stored.
 */
import type { CacheState, Deps, RequestContext } from '../ports.ts';
import type { VisitorPlan } from './visitor-plan.ts';
import type { DecisionPlan } from './decision-plan.ts';
import type { TemplateFetch } from './template-fetch.ts';
import type { DecisionEventV2, FragmentEvent, PageCacheState, ProfileEventOutcome } from '../log/decision-event.ts';
import { skipReason, type ProfileOutcome } from '../profile/profile-lookup.ts';
import { roundMs, sampled, serializeDecisionEvent } from '../log/decision-event.ts';
import { personalizedHeaders } from './page-headers.ts';
import { loggedPath } from '../log/logged-path.ts';

export interface TemplateTiming {
  cache: CacheState;
  ms: number;
}

export interface FinishDetails {
  fragments?: readonly FragmentEvent[];
  /** ESI elements dropped past the per-page cap (logged only when above 0). */
  esiDropped?: number;
  /** What the page exposed and the `$(DECISION)` token it carried. */
  experiment?: { exposed: readonly string[]; decision: string | null };
}

export class PageRun {
  private readonly templateTiming: TemplateTiming;
  private pageCacheState: PageCacheState = 'BYPASS';
  private fragmentsStarted: number | null = null;
  private ttfbMs: number | null = null;
  private written = false;

  constructor(
    readonly deps: Deps,
    private readonly context: RequestContext,
    readonly visitor: VisitorPlan,
    /** The decision, with the profile call's time and outcome for the headers and the event. */
    readonly decision: DecisionPlan,
    /** The template's cache state and time; null for a page served from the page cache, which never asked for it. */
    template: TemplateFetch | null,
    private readonly started: number,
  ) {
    this.templateTiming = template === null ? { cache: 'HIT', ms: 0 } : { cache: template.ok ? template.cache : 'MISS', ms: template.ms };
  }

  /** What the page cache did; set once before the head is built (unset: BYPASS). */
  pageCache(state: PageCacheState): void {
    this.pageCacheState = state;
  }

  /** ESI assembly starts: the time until the head leaves is reported as fragment time. */
  assembling(): void {
    this.fragmentsStarted = this.deps.now();
  }

  /** The personalized head; building it marks the time to first byte. */
  headers(contentType: string): Headers {
    const total = this.elapsed();
    this.ttfbMs = total;
    const fragments = this.fragmentsStarted === null ? 0 : this.deps.now() - this.fragmentsStarted;
    return personalizedHeaders({
      contentType, visitor: this.visitor, decision: this.decision, pageCache: this.pageCacheState,
      timings: { profile: this.decision.profile.ms, template: this.templateTiming.ms, fragments, total },
    });
  }

  /**
   * Writes the decision event (schema v2), once, however many exits reach it. `variants` lists the
   * enrolled experiments only (every forced one for a preview); a preview exposes nothing.
   */
  finish(status: number, details: FinishDetails = {}): void {
    if (this.written) return;
    this.written = true;
    const { visitor, deps } = this;
    for (let i = 0; i < visitor.problems.length; i++) console.warn(`personalization: ${visitor.problems[i]!}`);
    if (!sampled(this.context.requestId, visitor.config.settings.logSampleRate)) return;
    const totalMs = this.elapsed();
    const { decision, profile, preview } = this.decision;
    const { fragments = [], esiDropped = 0, experiment } = details;
    // No object spreads or `map` callbacks (same fields, same order): in the Wasm guest each spread
    // runs the engine's self-hosted copy, interpreted, and this runs once per page.
    const profileEvent: DecisionEventV2['profile'] = { outcome: eventOutcome(profile.outcome), ms: roundMs(profile.ms) };
    const reason = skipReason(profile).reason;
    if (reason !== undefined) profileEvent.reason = reason;
    const event: DecisionEventV2 = {
      v: 2, ts: new Date().toISOString(), requestId: this.context.requestId, pop: deps.pop,
      path: loggedPath(visitor.url.path, visitor.config.settings.logPaths), status,
      segment: decision.segment, variants: preview ? decision.variants : decision.enrolled,
      consent: visitor.facts.identity.consent, geo: visitor.facts.geo.region, device: visitor.facts.device,
      visitor: visitor.loggedPseudonym,
      profile: profileEvent,
      template: { cache: this.templateTiming.cache, ms: roundMs(this.templateTiming.ms) },
      fragments: fragmentEvents(fragments),
      pageCache: this.pageCacheState, ttfbMs: roundMs(this.ttfbMs ?? totalMs), totalMs: roundMs(totalMs),
      cpuMs: cpu(deps),
      exposed: preview ? [] : (experiment?.exposed ?? []).slice(),
    };
    if (preview) event.preview = true;
    if (experiment?.decision) event.decision = experiment.decision;
    if (esiDropped > 0) event.esiDropped = esiDropped;
    deps.emit('personalization_events', serializeDecisionEvent(event));
  }

  private elapsed(): number {
    return this.deps.now() - this.started;
  }
}

function fragmentEvents(fragments: readonly FragmentEvent[]): FragmentEvent[] {
  const events: FragmentEvent[] = [];
  for (let i = 0; i < fragments.length; i++) {
    const f = fragments[i]!;
    events.push({ src: f.src, outcome: f.outcome, ms: roundMs(f.ms), cache: f.cache });
  }
  return events;
}

/** An oversized profile body is unusable content, like invalid JSON, for analytics purposes. */
function eventOutcome(outcome: ProfileOutcome): ProfileEventOutcome {
  return outcome === 'too-large' ? 'invalid' : outcome;
}

function cpu(deps: Deps): number | null {
  const ms = deps.cpuMs();
  return ms === null ? null : roundMs(ms);
}
