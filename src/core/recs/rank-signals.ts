/**
 * What the edge knows about a visitor's taste when it ranks recommendations: the profile's category
 * affinities and recent categories, the session's categories (most recent first, from the signed
 * `sess` cookie), and items never to recommend (recently viewed, purchased). Only with consent; a
 * visitor without any of these gets the segment's order.
 */

export interface RankSignals {
  /** Category → 0..1. */
  affinities: Readonly<Record<string, number>>;
  /** Most recent first. */
  recentCategories: readonly string[];
  /** Most recent first, this page's category included. */
  sessionCategories: readonly string[];
  recentItems: readonly string[];
  purchased: readonly string[];
}

export const NO_SIGNALS: RankSignals = Object.freeze({
  affinities: Object.freeze({}),
  recentCategories: Object.freeze([]),
  sessionCategories: Object.freeze([]),
  recentItems: Object.freeze([]),
  purchased: Object.freeze([]),
});

/** True when these signals can change a segment's order or contents. */
export function hasSignals(signals: RankSignals | null | undefined): signals is RankSignals {
  if (!signals) return false;
  return (
    Object.keys(signals.affinities).length > 0 ||
    signals.recentCategories.length > 0 ||
    signals.sessionCategories.length > 0 ||
    signals.recentItems.length > 0 ||
    signals.purchased.length > 0
  );
}

export interface ProfileSignals {
  affinities: Readonly<Record<string, number>>;
  recentCategories: readonly string[];
  recentItems?: readonly string[];
  purchased?: readonly string[];
}

/**
 * The signals of a consented visitor, or null when there are none that could change the segment's
 * order (no consent, or nothing known yet): null is the one "rank by segment" value, so `$(RANKING)`
 * and the ranked include read it as it is.
 */
export function rankSignalsFor(personalize: boolean, profile: ProfileSignals | null, sessionCategories: readonly string[]): RankSignals | null {
  if (!personalize) return null;
  const signals: RankSignals = {
    affinities: profile?.affinities ?? NO_SIGNALS.affinities,
    recentCategories: profile?.recentCategories ?? [],
    sessionCategories,
    recentItems: profile?.recentItems ?? [],
    purchased: profile?.purchased ?? [],
  };
  return hasSignals(signals) ? signals : null;
}
