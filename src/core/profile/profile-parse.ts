/**
 * Validates profile JSON from the store (docs/contracts.md#profile-store) into a complete `Profile` at the boundary.
 * Wrong JSON types reject the whole profile; well-typed but unusable values are dropped (below).
 */
import type { Profile } from './profile.ts';

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

class WrongType extends Error {}

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
 *   (others are dropped). Once a cap is reached the rest is not examined (nor type-checked), so
 *   the work is bounded by the caps, not the body. Unknown fields are ignored.
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
    return { ok: true, profile: Object.freeze(profile) };
  } catch (error) {
    if (error instanceof WrongType) return { ok: false, reason: error.message };
    throw error;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for a non-empty string of at most 64 units without control characters. */
export function isCleanString(value: string): boolean {
  if (value.length === 0 || value.length > PROFILE_LIMITS.stringLength) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029) return false;
  }
  return true;
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
  const kept = new Set<string>();
  for (const item of raw as unknown[]) {
    if (kept.size === cap) break;
    if (typeof item !== 'string') throw new WrongType(`${field}: wrong type`);
    if (isCleanString(item)) kept.add(item);
  }
  return Object.freeze([...kept]);
}

function itemList(raw: unknown, cap: number): readonly string[] {
  const kept = new Set<string>();
  if (Array.isArray(raw)) {
    for (const item of raw as unknown[]) {
      if (kept.size === cap) break;
      if (typeof item === 'string' && isCleanString(item)) kept.add(item);
    }
  }
  return Object.freeze([...kept]);
}

/** A null-prototype map, so keys such as `constructor` or `__proto__` are plain data. */
function affinities(raw: unknown): Readonly<Record<string, number>> {
  const out = Object.create(null) as Record<string, number>;
  if (raw === undefined || raw === null) return Object.freeze(out);
  if (!isRecord(raw)) throw new WrongType('affinities: wrong type');
  let count = 0;
  for (const key in raw) {
    if (count === PROFILE_LIMITS.affinities) break;
    if (!Object.hasOwn(raw, key)) continue;
    const value = raw[key];
    if (typeof value !== 'number') throw new WrongType('affinities: wrong type');
    if (isCleanString(key) && Number.isFinite(value) && value >= 0 && value <= 1) {
      out[key] = value;
      count++;
    }
  }
  return Object.freeze(out);
}
