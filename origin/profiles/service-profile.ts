/**
 * What the reference profile service stores per visitor: the public profile the edge reads, plus
 * the bookkeeping that makes writes idempotent (a revision for compare-and-set, and the most recent
 * event ids). Only `profile` ever leaves the service.
 */
import { datasetIds, profileFor, type StoredProfile } from '../data/profile-for.ts';

export interface ServiceProfile {
  id: string;
  tier: StoredProfile['tier'];
  segments: string[];
  /** Category → interest in [0, 1], decayed with time. */
  affinities: Record<string, number>;
  /** Most recent first. */
  recentCategories: string[];
  recentItems: string[];
  purchased: string[];
  locale: string;
  updatedAt: string;
}

export interface ProfileRecord {
  /** Bumped by every write; the Redis store's compare-and-set checks it. */
  rev: number;
  profile: ServiceProfile;
  /** Event ids already applied, newest last, capped at SEEN_EVENT_IDS. */
  seen: string[];
}

/**
 * How many event ids per visitor are remembered for idempotency. At-least-once delivery retries a
 * batch within seconds, so a replay arrives well inside this window.
 */
export const SEEN_EVENT_IDS = 256;

export const VISITOR_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** A profile for a visitor the store has never seen: the first event creates it. */
export function blankProfile(id: string, now: Date): ServiceProfile {
  return { id, tier: 'none', segments: [], affinities: {}, recentCategories: [], recentItems: [], purchased: [], locale: 'en-US', updatedAt: isoSeconds(now) };
}

/** The seeded demo dataset's profile as a stored record, or null for an id outside it. */
export function seededRecord(id: string): ProfileRecord | null {
  const seed = profileFor(id);
  if (seed === null) return null;
  return { rev: 1, profile: { ...seed, affinities: { ...seed.affinities }, recentItems: [], purchased: [] }, seen: [] };
}

let seeds: ReadonlyArray<readonly [string, ProfileRecord]> | null = null;

/**
 * The whole demo dataset as records, built once per process. Records are never mutated (an update
 * builds a new one), so every store can start from the same objects.
 */
export function seededRecords(): ReadonlyArray<readonly [string, ProfileRecord]> {
  if (seeds === null) {
    const built: Array<readonly [string, ProfileRecord]> = [];
    for (const id of datasetIds()) {
      const record = seededRecord(id);
      if (record) built.push([id, record]);
    }
    seeds = built;
  }
  return seeds;
}

/** `2026-11-20T10:00:00Z`: the profile contract's timestamp form. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
