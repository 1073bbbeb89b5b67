/**
 * The decision event of one page request (schema v2), derived from the page run's record: the
 * same record the response head is derived from (page-run.ts), so the debug header and the event
 * never disagree. `variants` lists the enrolled experiments only (every forced one for a
 * preview); a preview exposes nothing.
 */
import type { CacheState, Deps, RequestContext } from '../ports.ts';
import type { VisitorPlan } from './visitor-plan.ts';
import type { DecisionPlan } from './decision-plan.ts';
import type { DecisionEventV2, FragmentEvent, PageCacheState, ProfileEventOutcome } from '../log/decision-event.ts';
import { skipReason, type ProfileOutcome } from '../profile/profile-lookup.ts';
import { roundMs } from '../log/decision-event.ts';
import { loggedPath } from '../log/logged-path.ts';

export interface TemplateTiming {
  cache: CacheState;
  ms: number;
}

/** What a page run has recorded by the time its event is written. */
export interface RunRecord {
  visitor: VisitorPlan;
  /** The decision, with the profile call's time and outcome. */
  decision: DecisionPlan;
  template: TemplateTiming;
  pageCache: PageCacheState;
  /** When the head left; null when no personalized head did. */
  ttfbMs: number | null;
}

export interface FinishDetails {
  /** The page's own report entries: the event rounds their times in place and logs them as they are. */
  fragments?: FragmentEvent[];
  /** ESI elements dropped past the per-page cap (logged only when above 0). */
  esiDropped?: number;
  /** Includes skipped past the page's inserted bytes (logged only when above 0). */
  esiOutputCapped?: number;
  /** What the page exposed and the `$(DECISION)` token it carried. */
  experiment?: { exposed: readonly string[]; decision: string | null };
}

/** Writes a run's event once its details are in: an assembled page's, after it has streamed. */
export interface PageFinisher {
  finish(status: number, details?: FinishDetails): void;
}

export function decisionEvent(record: RunRecord, at: { context: RequestContext; deps: Deps; totalMs: number }, status: number, details: FinishDetails): DecisionEventV2 {
  const { visitor, template } = record;
  const { decision, profile, preview } = record.decision;
  const { fragments = [], esiDropped = 0, esiOutputCapped = 0, experiment } = details;
  // No object spreads or `map` callbacks (same fields, same order): in the Wasm guest each spread
  // runs the engine's self-hosted copy, interpreted, and this runs once per page.
  const profileEvent: DecisionEventV2['profile'] = { outcome: eventOutcome(profile.outcome), ms: roundMs(profile.ms) };
  const reason = profile.outcome === 'skipped' ? skipReason(profile).reason : undefined;
  if (reason !== undefined) profileEvent.reason = reason;
  const event: DecisionEventV2 = {
    v: 2, ts: new Date().toISOString(), requestId: at.context.requestId, pop: at.deps.pop,
    path: loggedPath(visitor.url.path, visitor.config.settings.logPaths), status,
    segment: decision.segment, variants: preview ? decision.variants : decision.enrolled,
    consent: visitor.facts.identity.consent, geo: visitor.facts.geo.region, device: visitor.facts.device,
    visitor: visitor.loggedPseudonym,
    profile: profileEvent,
    template: { cache: template.cache, ms: roundMs(template.ms) },
    fragments: fragmentEvents(fragments),
    pageCache: record.pageCache, ttfbMs: roundMs(record.ttfbMs ?? at.totalMs), totalMs: roundMs(at.totalMs),
    cpuMs: cpu(at.deps),
    // Logged as given, not copied: nothing changes the list once the page has settled.
    exposed: preview ? [] : (experiment?.exposed ?? []),
  };
  if (preview) event.preview = true;
  if (experiment?.decision) event.decision = experiment.decision;
  if (esiDropped > 0) event.esiDropped = esiDropped;
  if (esiOutputCapped > 0) event.esiOutputCapped = esiOutputCapped;
  return event;
}

/**
 * The entries themselves, times rounded: they are the page's own (made for this one event, with
 * the event's fields in its order), and a copy of each was an object built by the interpreter.
 */
function fragmentEvents(fragments: FragmentEvent[]): FragmentEvent[] {
  for (let i = 0; i < fragments.length; i++) fragments[i]!.ms = roundMs(fragments[i]!.ms);
  return fragments;
}

/** An oversized profile body is unusable content, like invalid JSON, for analytics purposes. */
function eventOutcome(outcome: ProfileOutcome): ProfileEventOutcome {
  return outcome === 'too-large' ? 'invalid' : outcome;
}

function cpu(deps: Deps): number | null {
  const ms = deps.cpuMs();
  return ms === null ? null : roundMs(ms);
}
