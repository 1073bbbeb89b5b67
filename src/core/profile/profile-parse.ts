/**
 * Validates profile JSON from the store (docs/contracts.md#profile-store) into a complete `Profile` at the boundary.
 * Wrong JSON types reject the whole profile; well-typed but unusable values are dropped (below).
 */
import type { Profile } from './profile.ts';
import { distinctClean, isCleanString, usableAffinities, WrongType } from './profile-entries.ts';

export { isCleanString } from './profile-entries.ts';

export type ProfileParseResult = { ok: true; profile: Profile } | { ok: false; reason: string };

/** The visitor id grammar of docs/contracts.md#cookies-identity-and-consent. */
export const VISITOR_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const PROFILE_LIMITS = Object.freeze({
  segments: 32,
  affinities: 64,
  recentCategories: 16,
  recentItems: 32,
  purchased: 64,
  stringLength: 64,
});

/** A BCP 47-shaped tag; every part is delimited by `-`, so matching is linear. */
const LOCALE_PATTERN = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;

/**
 * Names the policy below: a profile this parser made is cached under it and read back unparsed
 * only under it (profile-document.ts). Change it with what `parseProfile` keeps (a field, a cap, a
 * pattern); a test pins this file's fingerprint beside it, so no change slips by.
 */
export const PROFILE_RULES = 'profile-rules-2';

/** The profiles `parseProfile` made: frozen, so still as it made them. */
const MADE = new WeakSet<Profile>();
export const madeByParse = (profile: Profile): boolean => MADE.has(profile);

/**
 * Policy, decided once for every field:
 * - `id` must be a string equal to `expectedId`, otherwise the profile is invalid.
 * - A field of the wrong JSON type (`tier: 3`, `segments: "x"`, a non-string element, a
 *   non-number affinity) makes the profile invalid: the store is sending something else.
 * - `null` or absent optional fields are empty values.
 * - Strings that are empty, longer than 64 UTF-16 units, or contain control characters (C0, DEL,
 *   C1, U+2028/9) are dropped, not rejected: a scalar becomes null, a list element or map entry
 *   disappears. They could otherwise reach headers, keys or logs (header injection), and one bad
 *   category should not cost the visitor their whole profile.
 * - Lists keep their first N usable, distinct elements (segments 32, recentCategories 16);
 *   affinities keep their first 64 usable entries, whose values must be finite numbers in 0..1
 *   (others are dropped). Only the first 4 × N entries of a field are examined (segments 128,
 *   recentCategories 64, recentItems 128, purchased and affinities 256; profile-entries.ts), so an
 *   oversize field keeps the usable ones among those; past that bound, or once a cap is reached,
 *   the rest is not examined (nor type-checked): the work is bounded by the caps, not the body.
 *   Unknown fields are ignored.
 * - The item lists (`recentItems` 32, `purchased` 64) only ever remove recommendations, so a bad
 *   one costs no more than itself: a list of the wrong type is empty, and an element that is not a
 *   clean string is dropped, never a reason to lose the visitor's whole profile.
 */
export function parseProfile(json: unknown, expectedId: string): ProfileParseResult {
  if (!isRecord(json)) return { ok: false, reason: 'not an object' };
  if (typeof json.id !== 'string') return { ok: false, reason: 'id: missing' };
  if (json.id !== expectedId) return { ok: false, reason: 'id: mismatch' };
  try {
    const profile: Profile = {
      id: json.id,
      tier: scalar(json.tier, 'tier'),
      segments: list(json.segments, 'segments', PROFILE_LIMITS.segments),
      affinities: affinities(json.affinities),
      recentCategories: list(json.recentCategories, 'recentCategories', PROFILE_LIMITS.recentCategories),
      recentItems: itemList(json.recentItems, PROFILE_LIMITS.recentItems),
      purchased: itemList(json.purchased, PROFILE_LIMITS.purchased),
      locale: locale(json.locale),
      updatedAt: scalar(json.updatedAt, 'updatedAt'),
    };
    MADE.add(Object.freeze(profile));
    return { ok: true, profile };
  } catch (error) {
    if (error instanceof WrongType) return { ok: false, reason: error.message };
    throw error;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalar(raw: unknown, field: string): string | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'string') throw new WrongType(`${field}: wrong type`);
  return isCleanString(raw) ? raw : null;
}

function locale(raw: unknown): string | null {
  const value = scalar(raw, 'locale');
  return value !== null && LOCALE_PATTERN.test(value) ? value : null;
}

function list(raw: unknown, field: string, cap: number): readonly string[] {
  if (raw === undefined || raw === null) return Object.freeze([]);
  if (!Array.isArray(raw)) throw new WrongType(`${field}: wrong type`);
  return distinctClean(raw as unknown[], cap, field);
}

function itemList(raw: unknown, cap: number): readonly string[] {
  return Array.isArray(raw) ? distinctClean(raw as unknown[], cap, null) : Object.freeze([]);
}

function affinities(raw: unknown): Readonly<Record<string, number>> {
  if (raw === undefined || raw === null) return Object.freeze(Object.create(null) as Record<string, number>);
  if (!isRecord(raw)) throw new WrongType('affinities: wrong type');
  return usableAffinities(raw, PROFILE_LIMITS.affinities);
}
