/**
 * The write path's update rule, pure so every store applies exactly the same one. Each new event
 * pulls its category's affinity towards 1 by the event's weight and lets every other category fade
 * a little (an exponential moving average, so values stay in [0, 1] whatever arrives); it also
 * moves the category and item to the front of the recent lists, and records purchases. Event ids
 * seen before (in this batch or the last SEEN_EVENT_IDS) change nothing.
 */
import { segmentHints } from '../data/profile-for.ts';
import type { ProfileEvent, ProfileEventType } from './event-batch.ts';
import { blankProfile, isoSeconds, SEEN_EVENT_IDS, type ProfileRecord, type ServiceProfile } from './service-profile.ts';

/** How strongly one event says "interested in this category". */
export const EVENT_WEIGHTS: Readonly<Record<ProfileEventType, number>> = { view: 0.05, click: 0.2, add_to_cart: 0.35, purchase: 0.5 };
/** Other categories fade by weight × FADE per event. */
const FADE = 0.25;
const MAX_AFFINITIES = 32;
const MAX_RECENT_CATEGORIES = 5;
const MAX_RECENT_ITEMS = 10;
const MAX_PURCHASED = 50;

export interface ApplyResult {
  record: ProfileRecord;
  applied: number;
  duplicates: number;
}

/** The category an item belongs to, when the event did not say. */
export type CategoryOf = (item: string) => string | null;

export function applyEvents(current: ProfileRecord | null, id: string, events: readonly ProfileEvent[], now: Date, categoryOf: CategoryOf): ApplyResult {
  const seen = new Set(current?.seen ?? []);
  const fresh = events.filter((event) => {
    if (seen.has(event.eventId)) return false;
    seen.add(event.eventId);
    return true;
  });
  if (fresh.length === 0 && current !== null) return { record: current, applied: 0, duplicates: events.length };
  const base = current?.profile ?? blankProfile(id, now);
  const profile: ServiceProfile = { ...base, affinities: { ...base.affinities } };
  for (const event of fresh) applyOne(profile, event, event.category ?? (event.item === null ? null : categoryOf(event.item)));
  profile.affinities = strongest(profile.affinities, MAX_AFFINITIES);
  profile.segments = segmentHints(profile.tier, profile.affinities);
  profile.updatedAt = isoSeconds(now);
  const ids = [...(current?.seen ?? []), ...fresh.map((event) => event.eventId)].slice(-SEEN_EVENT_IDS);
  return { record: { rev: (current?.rev ?? 0) + 1, profile, seen: ids }, applied: fresh.length, duplicates: events.length - fresh.length };
}

function applyOne(profile: ServiceProfile, event: ProfileEvent, category: string | null): void {
  const weight = EVENT_WEIGHTS[event.type];
  if (category !== null) {
    for (const [name, value] of Object.entries(profile.affinities)) {
      if (name !== category) profile.affinities[name] = round(value * (1 - weight * FADE));
    }
    // Own properties only: a category such as `constructor` must not read Object.prototype.
    const before = Object.hasOwn(profile.affinities, category) ? (profile.affinities[category] ?? 0) : 0;
    profile.affinities[category] = round(before + weight * (1 - before));
    profile.recentCategories = toFront(profile.recentCategories, category, MAX_RECENT_CATEGORIES);
  }
  if (event.item !== null) {
    profile.recentItems = toFront(profile.recentItems, event.item, MAX_RECENT_ITEMS);
    if (event.type === 'purchase') profile.purchased = toFront(profile.purchased, event.item, MAX_PURCHASED);
  }
}

function toFront(list: readonly string[], value: string, max: number): string[] {
  return [value, ...list.filter((entry) => entry !== value)].slice(0, max);
}

function strongest(affinities: Record<string, number>, max: number): Record<string, number> {
  const entries = Object.entries(affinities);
  if (entries.length <= max) return affinities;
  return Object.fromEntries(entries.sort((a, b) => b[1] - a[1]).slice(0, max));
}

function round(value: number): number {
  return Math.min(1, Math.max(0, Math.round(value * 10_000) / 10_000));
}
