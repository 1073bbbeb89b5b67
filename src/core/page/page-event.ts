/**
 * Fills the decision event of one page request from the plan and what happened, and writes it
 * exactly once (sampled by settings.logSampleRate).
 */
import type { CacheState, Deps, RequestContext } from '../ports.ts';
import type { DecisionPlan, VisitorPlan } from './page-plan.ts';
import { roundMs, sampled, serializeDecisionEvent, type FragmentEvent, type PageCacheState, type ProfileEventOutcome } from '../log/decision-event.ts';
import type { ProfileOutcome } from '../profile/profile-client.ts';
import { loggedPath } from '../log/logged-path.ts';

export interface PageOutcome {
  status: number;
  template: { cache: CacheState; ms: number };
  fragments: FragmentEvent[];
  pageCache: PageCacheState;
  ttfbMs: number;
  totalMs: number;
}

export function createEventWriter(deps: Deps, context: RequestContext, visitor: VisitorPlan, decision: DecisionPlan) {
  let written = false;
  return (outcome: PageOutcome): void => {
    if (written) return;
    written = true;
    for (const problem of visitor.problems) console.warn(`personalization: ${problem}`);
    if (!sampled(context.requestId, visitor.config.settings.logSampleRate)) return;
    const line = serializeDecisionEvent({
      v: 1,
      ts: new Date().toISOString(),
      requestId: context.requestId,
      pop: deps.pop,
      path: loggedPath(visitor.url.path, visitor.config.settings.logPaths),
      status: outcome.status,
      segment: decision.decision.segment,
      variants: { ...decision.decision.variants },
      consent: visitor.context.consent,
      geo: visitor.context.geo.region,
      device: visitor.context.device,
      visitor: visitor.visitor,
      profile: { outcome: eventOutcome(decision.profile.outcome), ms: roundMs(decision.profile.ms) },
      template: { cache: outcome.template.cache, ms: roundMs(outcome.template.ms) },
      fragments: outcome.fragments.map((f) => ({ ...f, ms: roundMs(f.ms) })),
      pageCache: outcome.pageCache,
      ttfbMs: roundMs(outcome.ttfbMs),
      totalMs: roundMs(outcome.totalMs),
      cpuMs: cpu(deps),
    });
    deps.emit('personalization_events', line);
  };
}

/** An oversized profile body is unusable content, like invalid JSON, for analytics purposes. */
function eventOutcome(outcome: ProfileOutcome): ProfileEventOutcome {
  return outcome === 'too-large' ? 'invalid' : outcome;
}

function cpu(deps: Deps): number | null {
  const ms = deps.cpuMs();
  return ms === null ? null : roundMs(ms);
}
