/**
 * The document a visitor's profile entry holds (profile-cache.ts): `{"v":1,"id":…,"profile":…}`,
 * or `"unknown":true` for a remembered 404. A profile `parseProfile` made is written with the name
 * of the rules it was made under (`rules`), and read back under the same name without being parsed
 * again: the entry's key holds only this visitor's pseudonym, only this service writes its core
 * cache (Fastly keeps each service's cache to itself), and it writes the name only beside a profile
 * it made. Re-validating a small profile costs ~0.05 ms of a consented page in the Wasm guest, on
 * every page. Anything else (no name, another name, an entry of the old format) is parsed again, and
 * whatever does not read as this visitor's document is no entry at all.
 */
import type { Profile } from './profile.ts';
import type { ProfileFound } from './profile-lookup.ts';
import { madeByParse, parseProfile, PROFILE_RULES } from './profile-parse.ts';

/** The document's text for an answer worth remembering: a profile, or a 404 (`profile` null). */
export function profileDocument(visitorId: string, profile: Profile | null): string {
  if (profile === null) return JSON.stringify({ v: 1, id: visitorId, unknown: true });
  return JSON.stringify(madeByParse(profile) ? { v: 1, id: visitorId, rules: PROFILE_RULES, profile } : { v: 1, id: visitorId, profile });
}

/** `text`: the entry's metadata, or its body. Null for anything but this visitor's document. */
export function readProfileDocument(text: string, visitorId: string): ProfileFound | null {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof document !== 'object' || document === null) return null;
  const fields = document as Record<string, unknown>;
  if (fields.v !== 1 || fields.id !== visitorId) return null;
  if (fields.unknown === true) return { outcome: 'cached', profile: null, reason: 'unknown' };
  const profile = fields.rules === PROFILE_RULES ? asMade(fields.profile, visitorId) : parsed(fields.profile, visitorId);
  return profile === null ? null : { outcome: 'cached', profile, reason: null };
}

/** Validated again: the rules may have changed since the write. */
function parsed(json: unknown, visitorId: string): Profile | null {
  const result = parseProfile(json, visitorId);
  return result.ok ? result.profile : null;
}

/**
 * A profile as `parseProfile` made it, back from its JSON: its affinities given their null
 * prototype again (keys are plain data), and frozen all the way down as it was; null when it is
 * not this visitor's, or its affinities or one of its lists is not what the parser made (a
 * damaged entry: its consumers call list methods on them).
 */
function asMade(json: unknown, visitorId: string): Profile | null {
  const profile = json as Profile;
  if (typeof json !== 'object' || json === null || profile.id !== visitorId) return null;
  if (typeof profile.affinities !== 'object' || profile.affinities === null || Array.isArray(profile.affinities)) return null;
  if (!Array.isArray(profile.segments) || !Array.isArray(profile.recentCategories) || !Array.isArray(profile.recentItems) || !Array.isArray(profile.purchased)) return null;
  Object.freeze(Object.setPrototypeOf(profile.affinities, null));
  Object.freeze(profile.segments);
  Object.freeze(profile.recentCategories);
  Object.freeze(profile.recentItems);
  Object.freeze(profile.purchased);
  return Object.freeze(profile);
}
