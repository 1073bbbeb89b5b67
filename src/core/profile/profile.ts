/**
 * The visitor profile of docs/contracts.md#profile-store as the core sees it after validation at the boundary:
 * every field but `id` is optional in the store, and is filled with an empty value here.
 * `parseProfile` (profile-parse.ts) guarantees every string is 1-64 characters with no control
 * characters, so none of them can break a header, a cache key or a log line.
 */
export interface Profile {
  /** The visitor id the store was asked for (`[A-Za-z0-9_-]{1,64}`). */
  id: string;
  tier: string | null;
  /** At most 32, distinct, in store order. */
  segments: readonly string[];
  /** At most 64 entries, values finite in 0..1; a null-prototype object, so keys are plain data. */
  affinities: Readonly<Record<string, number>>;
  /** At most 16, distinct, in store order (most recent first by the store's convention). */
  recentCategories: readonly string[];
  /** Item ids the visitor viewed lately (at most 32, distinct, most recent first): not recommended again. */
  recentItems: readonly string[];
  /** Item ids the visitor bought (at most 64, distinct): never recommended. */
  purchased: readonly string[];
  /** A BCP 47-shaped tag, or null when absent or malformed. */
  locale: string | null;
  updatedAt: string | null;
}
