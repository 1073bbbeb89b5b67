/**
 * Why a page view fell back, from its decision event. A fallback is the page served without
 * something it asked for: the profile (timeout, error or unreadable answer, or skipped because the
 * breaker is open) or a fragment (timeout, error, or skipped at the include cap). A fragment served
 * from its `alt` is the design working, not a fallback. A visitor who gave no consent was never
 * going to get a profile: that is counted apart (`noConsent`) and is not a fallback either.
 */
import type { DecisionFields as DecisionEvent } from '../events/decision-event-schema.ts';
import type { EventExtras } from './event-extras.ts';

export const FALLBACK_CAUSES = ['timeout', 'error', 'breakerOpen'] as const;
export type FallbackCause = (typeof FALLBACK_CAUSES)[number];

export interface PageFallback {
  causes: ReadonlySet<FallbackCause>;
  /** The profile lookup was skipped because the visitor did not consent (or sent GPC). */
  noConsent: boolean;
}

export function pageFallback(event: DecisionEvent, extras: EventExtras): PageFallback {
  const causes = new Set<FallbackCause>();
  const profile = event.profile.outcome;
  if (profile === 'timeout') causes.add('timeout');
  if (profile === 'error' || profile === 'invalid') causes.add('error');
  const noConsent = profile === 'skipped' && (event.consent !== 'granted' || extras.profileReason === 'no-consent');
  if (profile === 'skipped' && extras.profileReason === 'breaker-open') causes.add('breakerOpen');
  for (const fragment of event.fragments) {
    if (fragment.outcome === 'timeout') causes.add('timeout');
    if (fragment.outcome === 'error') causes.add('error');
  }
  return { causes, noConsent };
}

/** A fragment outcome that left a hole or an except branch on the page (`alt` is not one). */
export function isFragmentFailure(outcome: string): boolean {
  return outcome !== 'ok' && outcome !== 'alt';
}
