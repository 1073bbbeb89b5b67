/** Bounds of published recommendations, shared by the job, the store and the fragments server. */

/**
 * Candidates per segment. The edge accepts up to 200 per document; 100 is plenty for a handful of
 * slots after exclusions and the per-category cap, and halves what the Wasm guest parses.
 */
export const MAX_PUBLISHED_PER_SEGMENT = 100;

/** The surrogate key every candidate document carries: purging it drops every segment's list. */
export const CANDIDATES_SURROGATE_KEY = 'recs-candidates';
