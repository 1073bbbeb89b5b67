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
 * Names the policy below: a profile this parser made is cached under it and read back unparsed
 * only under it (profile-document.ts). Change it with what `parseProfile` keeps (a field, a cap, a
 * pattern); a test pins this file's fingerprint beside it, so no change slips by.
 */
export const PROFILE_RULES = 'profile-rules-1';

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

/** True for a non-empty string of at most 64 units without control characters. */
// One native RegExp test instead of a loop over characters: in the Wasm guest every loop
// iteration is interpreted, and a profile holds dozens of strings.
// eslint-disable-next-line no-control-regex
const CLEAN_STRING = /^[^\x00-\x1f\x7f-\x9f\u2028\u2029]{1,64}$/;

export function isCleanString(value: string): boolean {
  return CLEAN_STRING.test(value);
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

/**
 * The distinct clean strings of `items`, in order, at most `cap`. A non-string throws for a strict
 * `field` and is skipped otherwise. Indexed, with `includes` over the short result: in the Wasm
 * guest `for…of`, Sets from arrays and spreads run the engine's self-hosted iterator, interpreted.
 */
function distinctClean(items: unknown[], cap: number, field: string | null): readonly string[] {
  const kept: string[] = [];
  for (let i = 0; i < items.length && kept.length < cap; i++) {
    const item = items[i];
    if (typeof item !== 'string') {
      if (field !== null) throw new WrongType(`${field}: wrong type`);
      continue;
    }
    if (isCleanString(item) && !kept.includes(item)) kept.push(item);
  }
  return Object.freeze(kept);
}

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
