/**
 * The closed value sets the edge writes into its events and headers, defined once. The core derives
 * its types from them, and the collector's schemas validate incoming lines against the same arrays
 * (docs/contracts.md#decision-event), so adding a value is one edit that every reader sees.
 */

/** A request's consent state (docs/contracts.md#cookies-identity-and-consent). */
export const CONSENT_STATES = ['granted', 'denied', 'gpc'] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];

/** What the profile lookup did, as logged (the client's `too-large` is logged as `invalid`). */
export const PROFILE_OUTCOMES = ['hit', 'unknown', 'timeout', 'error', 'invalid', 'skipped', 'cached'] as const;
export type ProfileEventOutcome = (typeof PROFILE_OUTCOMES)[number];

/** What happened to one include. */
export const FRAGMENT_OUTCOMES = ['ok', 'alt', 'timeout', 'error', 'refused', 'skipped'] as const;
export type FragmentEventOutcome = (typeof FRAGMENT_OUTCOMES)[number];

/** What the readthrough cache did with a backend fetch. */
export const TEMPLATE_CACHE_STATES = ['HIT', 'MISS', 'STALE', 'PASS'] as const;
export type CacheState = (typeof TEMPLATE_CACHE_STATES)[number];

/** A fragment's cache state (a stale readthrough answer counts as a hit). */
export const FRAGMENT_CACHE_STATES = ['HIT', 'MISS', 'PASS'] as const;
export type FragmentCacheState = (typeof FRAGMENT_CACHE_STATES)[number];

/** What the assembled-page tier did with a page. */
export const PAGE_CACHE_STATES = ['HIT', 'MISS', 'BYPASS'] as const;
export type PageCacheState = (typeof PAGE_CACHE_STATES)[number];

/** The beacon types a page may send (docs/contracts.md#beacon); v1 lines carry the first two only. */
export const BEACON_TYPES = ['impression', 'click', 'add_to_cart', 'purchase'] as const;
export type BeaconType = (typeof BEACON_TYPES)[number];

/** How a beacon's segment and variants were found: from the page's signed decision token, or not at all. */
export const ATTRIBUTIONS = ['token', 'none'] as const;
export type Attribution = (typeof ATTRIBUTIONS)[number];
