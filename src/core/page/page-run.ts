/**
 * One page request as it runs: it accumulates what happened (the visitor, the decision, the
 * template's cache state and time, when the head left, the fragments) and derives the response
 * headers and the decision event from that one record, so every exit reports the same fields.
 */
import type { CacheState, Deps, RequestContext } from '../ports.ts';
import type { DecisionPlan, VisitorPlan } from './page-plan.ts';
import type { FragmentEvent, PageCacheState, ProfileEventOutcome } from '../log/decision-event.ts';
import type { ProfileOutcome } from '../profile/profile-client.ts';
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
  private decided: DecisionPlan | null = null;
  /** A page served from the page cache never asked for its template. */
  private templateTiming: TemplateTiming = { cache: 'HIT', ms: 0 };
  private fragmentsStarted: number | null = null;
  private ttfbMs: number | null = null;
  private written = false;

  constructor(
    readonly deps: Deps,
    private readonly context: RequestContext,
    readonly visitor: VisitorPlan,
    private readonly started: number,
  ) {}

  /** The decision is in: the profile call's time and outcome go into the headers and the event. */
  profile(decision: DecisionPlan): DecisionPlan {
    this.decided = decision;
    return decision;
  }

  template(timing: TemplateTiming): void {
    this.templateTiming = { cache: timing.cache, ms: timing.ms };
  }

  /** ESI assembly starts: the time until the head leaves is reported as fragment time. */
  assembling(): void {
    this.fragmentsStarted = this.deps.now();
  }

  /** The personalized head; building it marks the time to first byte. */
  headers(contentType: string, pageCache: PageCacheState): Headers {
    const total = this.elapsed();
    this.ttfbMs = total;
    const fragments = this.fragmentsStarted === null ? 0 : this.deps.now() - this.fragmentsStarted;
    return personalizedHeaders({
      contentType, visitor: this.visitor, decision: this.decision(), pageCache,
      timings: { profile: this.decision().profile.ms, template: this.templateTiming.ms, fragments, total },
    });
  }

  /**
   * Writes the decision event (schema v2), once, however many exits reach it. `variants` lists the
   * enrolled experiments only (every forced one for a preview); a preview exposes nothing.
   */
  finish(status: number, pageCache: PageCacheState, details: FinishDetails = {}): void {
    if (this.written) return;
    this.written = true;
    const { visitor, deps } = this;
    for (const problem of visitor.problems) console.warn(`personalization: ${problem}`);
    if (!sampled(this.context.requestId, visitor.config.settings.logSampleRate)) return;
    const totalMs = this.elapsed();
    const { decision, profile, preview } = this.decision();
    const { fragments = [], esiDropped = 0, experiment } = details;
    deps.emit('personalization_events', serializeDecisionEvent({
      v: 2, ts: new Date().toISOString(), requestId: this.context.requestId, pop: deps.pop,
      path: loggedPath(visitor.url.path, visitor.config.settings.logPaths), status,
      segment: decision.segment, variants: { ...(preview ? decision.variants : decision.enrolled) },
      consent: visitor.context.identity.consent, geo: visitor.context.geo.region, device: visitor.context.device,
      visitor: visitor.loggedPseudonym,
      profile: { outcome: eventOutcome(profile.outcome), ms: roundMs(profile.ms) },
      template: { cache: this.templateTiming.cache, ms: roundMs(this.templateTiming.ms) },
      fragments: fragments.map((f) => ({ ...f, ms: roundMs(f.ms) })),
      pageCache, ttfbMs: roundMs(this.ttfbMs ?? totalMs), totalMs: roundMs(totalMs),
      cpuMs: cpu(deps),
      exposed: preview ? [] : [...(experiment?.exposed ?? [])],
      ...(preview ? { preview: true } : {}),
      ...(experiment?.decision ? { decision: experiment.decision } : {}),
      ...(esiDropped > 0 ? { esiDropped } : {}),
    }));
  }

  private elapsed(): number {
    return this.deps.now() - this.started;
  }

  /** The decision; asking before `profile()` is a bug in the route. */
  decision(): DecisionPlan {
    if (this.decided === null) throw new Error('page run: the decision is not in yet');
    return this.decided;
  }
}

/** An oversized profile body is unusable content, like invalid JSON, for analytics purposes. */
function eventOutcome(outcome: ProfileOutcome): ProfileEventOutcome {
  return outcome === 'too-large' ? 'invalid' : outcome;
}

function cpu(deps: Deps): number | null {
  const ms = deps.cpuMs();
  return ms === null ? null : roundMs(ms);
}
