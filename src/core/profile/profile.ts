/**
 * The visitor profile of DESIGN §5.1 as the core sees it after validation at the boundary:
 * every field but `id` is optional in the store, and is filled with an empty value here.
 */
export interface Profile {
  id: string;
  tier: string | null;
  segments: readonly string[];
  affinities: Readonly<Record<string, number>>;
  recentCategories: readonly string[];
  locale: string | null;
  updatedAt: string | null;
}
