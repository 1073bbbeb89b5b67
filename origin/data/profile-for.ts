/**
 * The profile store's dataset (docs/contracts.md#profile-store): 10,000 visitors `u00000`..`u09999` plus a few named
 * demo visitors, each derived on demand from a seeded PRNG so `profileFor(id)` is deterministic.
 * The mix is tuned so every demo segment is well populated: ~10% gold/platinum (vip), ~25% with
 * running affinity ≥ 0.6 (runner), ~20% with outdoor affinity ≥ 0.6 (outdoor).
 */
import { CATEGORIES, type Category } from './catalog.ts';
import { mulberry32, pickWeighted, seedFrom } from './seeded-random.ts';

export const VISITOR_COUNT = 10_000;
export const LOCALES = ['en-US', 'en-GB', 'de-DE', 'fr-FR'] as const;
export type Tier = 'none' | 'silver' | 'gold' | 'platinum';

export interface StoredProfile {
  id: string;
  tier: Tier;
  segments: string[];
  affinities: Record<Category, number>;
  recentCategories: Category[];
  locale: string;
  updatedAt: string;
}

const DATASET_SALT = 0x5eed;
const NUMBERED_ID = /^u\d{5}$/;
/** Named visitors for demos and docs, one per segment. */
const DEMO_SEEDS: ReadonlyMap<string, { tier: Tier; interest: Category | null }> = new Map([
  ['demo-vip', { tier: 'platinum', interest: 'jackets' }],
  ['demo-runner', { tier: 'none', interest: 'running' }],
  ['demo-outdoor', { tier: 'silver', interest: 'outdoor' }],
  ['demo-general', { tier: 'none', interest: null }],
]);
const UPDATED_FROM = Date.UTC(2026, 0, 1);
const UPDATED_SPAN_SECONDS = 330 * 24 * 3600;

/** `u00042` for 42. */
export function visitorId(index: number): string {
  return `u${String(index).padStart(5, '0')}`;
}

/** Every id of the dataset: the named demo visitors, then `u00000`..`u09999`. */
export function* datasetIds(): Generator<string> {
  yield* DEMO_SEEDS.keys();
  for (let index = 0; index < VISITOR_COUNT; index++) yield visitorId(index);
}

export function isKnownVisitor(id: string): boolean {
  return (NUMBERED_ID.test(id) && Number(id.slice(1)) < VISITOR_COUNT) || DEMO_SEEDS.has(id);
}

/** The stored profile for `id`, or null when the dataset does not know the visitor. */
export function profileFor(id: string): StoredProfile | null {
  if (!isKnownVisitor(id)) return null;
  const random = mulberry32(seedFrom(id, DATASET_SALT));
  const demo = DEMO_SEEDS.get(id);
  const tier = demo?.tier ?? pickWeighted<Tier>(random(), [['none', 70], ['silver', 20], ['gold', 7], ['platinum', 3]]);
  const interest = demo ? demo.interest : pickWeighted<Category | null>(random(), [['running', 25], ['outdoor', 20], ['shoes', 15], ['jackets', 10], [null, 30]]);
  const affinities: Record<Category, number> = { running: 0, outdoor: 0, shoes: 0, jackets: 0 };
  for (const category of CATEGORIES) {
    const score = category === interest ? 0.6 + random() * 0.4 : random() * 0.55;
    affinities[category] = Math.round(score * 100) / 100;
  }
  const recentCategories = recentFrom(random, interest);
  const locale = pickWeighted<string>(random(), [['en-US', 40], ['en-GB', 25], ['de-DE', 20], ['fr-FR', 15]]);
  const updatedAt = new Date(UPDATED_FROM + Math.floor(random() * UPDATED_SPAN_SECONDS) * 1000).toISOString().replace('.000Z', 'Z');
  return { id, tier, segments: segmentHints(tier, affinities), affinities, recentCategories, locale, updatedAt };
}

function recentFrom(random: () => number, interest: Category | null): Category[] {
  const count = Math.floor(random() * 4);
  const recent: Category[] = interest && count > 0 ? [interest] : [];
  while (recent.length < count) {
    const category = CATEGORIES[Math.floor(random() * CATEGORIES.length)];
    if (category && !recent.includes(category)) recent.push(category);
  }
  return recent;
}

/** Segment hints the store precomputes; the edge decides the segment itself from its own rules. */
export function segmentHints(tier: Tier, affinities: Readonly<Record<string, number>>): string[] {
  const hints: string[] = [];
  if (tier === 'gold' || tier === 'platinum') hints.push('vip');
  if ((affinities.running ?? 0) >= 0.6) hints.push('runner');
  if ((affinities.outdoor ?? 0) >= 0.6) hints.push('outdoor');
  return hints;
}
