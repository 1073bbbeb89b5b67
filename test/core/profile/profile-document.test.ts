/**
 * The cached profile's document: a profile `parseProfile` made is written under the current rules'
 * name and read back as it was written, without being parsed again; every other profile entry (no
 * name, an old name, a profile not made by the parser) is parsed again, and anything that does not
 * read as this visitor's document is no entry.
 */
import { describe, expect, it } from 'vitest';
import { profileDocument, readProfileDocument } from '../../../src/core/profile/profile-document.ts';
import { parseProfile, PROFILE_LIMITS, PROFILE_RULES } from '../../../src/core/profile/profile-parse.ts';
import type { Profile } from '../../../src/core/profile/profile.ts';
import { storeProfile } from './profile-harness.ts';

const VISITOR = 'u00042';
const many = (n: number) => Array.from({ length: n }, (_, i) => `category-${i}`);

function made(json: unknown = storeProfile(VISITOR)): Profile {
  const result = parseProfile(json, VISITOR);
  if (!result.ok) throw new Error(result.reason);
  return result.profile;
}

/** A document as an entry could hold it, written by hand. */
const written = (fields: Record<string, unknown>): string => JSON.stringify({ v: 1, id: VISITOR, ...fields });

describe('the cached profile document', () => {
  it('names the rules beside a profile the parser made, and reads it back as made: frozen, affinities without a prototype', () => {
    const profile = made({ ...storeProfile(VISITOR), affinities: JSON.parse('{"running":0.82,"__proto__":0.4,"constructor":0.6}') as unknown });
    const text = profileDocument(VISITOR, profile);
    expect(JSON.parse(text)).toMatchObject({ v: 1, id: VISITOR, rules: PROFILE_RULES });
    const read = readProfileDocument(text, VISITOR);
    expect(read).toEqual({ outcome: 'cached', profile, reason: null });
    const back = read!.profile!;
    expect(Object.getPrototypeOf(back.affinities)).toBeNull();
    expect(back.affinities.constructor).toBe(0.6);
    expect(Object.keys(back.affinities).sort()).toEqual(['__proto__', 'constructor', 'running']);
    for (const part of [back, back.affinities, back.segments, back.recentCategories, back.recentItems, back.purchased]) expect(Object.isFrozen(part)).toBe(true);
  });

  it('reads a document under the current rules as written, without parsing it again', () => {
    const profile = { ...made(), recentCategories: many(PROFILE_LIMITS.recentCategories + 4) };
    const read = readProfileDocument(written({ rules: PROFILE_RULES, profile }), VISITOR);
    expect(read?.profile?.recentCategories).toHaveLength(PROFILE_LIMITS.recentCategories + 4);
  });

  it('writes no rules name beside a profile the parser did not make, and parses it again on the way back', () => {
    const profile = { ...made(), recentCategories: many(PROFILE_LIMITS.recentCategories + 4) };
    const text = profileDocument(VISITOR, profile);
    expect(JSON.parse(text)).not.toHaveProperty('rules');
    expect(readProfileDocument(text, VISITOR)?.profile?.recentCategories).toEqual(many(PROFILE_LIMITS.recentCategories));
  });

  it.each([
    ['no rules name (written before the name was)', undefined],
    ['an old rules name', 'profile-rules-0'],
    ['a rules name of another kind', 1],
  ])('parses a profile under %s again: over-long lists cut, wrong types a miss', (_name, rules) => {
    const long = { ...storeProfile(VISITOR), recentCategories: many(PROFILE_LIMITS.recentCategories + 4) };
    expect(readProfileDocument(written({ rules, profile: long }), VISITOR)?.profile?.recentCategories).toEqual(many(PROFILE_LIMITS.recentCategories));
    expect(readProfileDocument(written({ rules, profile: { ...storeProfile(VISITOR), tier: 3 } }), VISITOR)).toBeNull();
    expect(readProfileDocument(written({ rules, profile: { ...storeProfile(VISITOR), tier: 'bad\ntier' } }), VISITOR)?.profile?.tier).toBeNull();
  });

  it('treats a corrupted document as no entry, whatever rules it names', () => {
    const text = profileDocument(VISITOR, made());
    expect(readProfileDocument(text.slice(0, -5), VISITOR)).toBeNull();
    expect(readProfileDocument('', VISITOR)).toBeNull();
    expect(readProfileDocument('null', VISITOR)).toBeNull();
    expect(readProfileDocument(text.replace('"v":1', '"v":2'), VISITOR)).toBeNull();
    for (const profile of [null, 'x', 7, [], { ...made(), id: 'u00043' }]) expect(readProfileDocument(written({ rules: PROFILE_RULES, profile }), VISITOR)).toBeNull();
  });

  it('treats a document under the current rules whose affinities are not an object as no entry', () => {
    const { affinities: _dropped, ...rest } = made();
    expect(readProfileDocument(written({ rules: PROFILE_RULES, profile: rest }), VISITOR)).toBeNull();
    for (const affinities of [null, 0.5, 'running', true]) expect(readProfileDocument(written({ rules: PROFILE_RULES, profile: { ...rest, affinities } }), VISITOR)).toBeNull();
  });

  it.each(['segments', 'recentCategories', 'recentItems', 'purchased'])('treats a document under the current rules whose %s is not a list as no entry', (field) => {
    const profile = made();
    expect(readProfileDocument(written({ rules: PROFILE_RULES, profile }), VISITOR)?.profile).toEqual(profile);
    for (const damaged of [null, 'running', 7, { 0: 'running' }]) expect(readProfileDocument(written({ rules: PROFILE_RULES, profile: { ...profile, [field]: damaged } }), VISITOR)).toBeNull();
    const { [field as keyof Profile]: _dropped, ...rest } = profile;
    expect(readProfileDocument(written({ rules: PROFILE_RULES, profile: rest }), VISITOR)).toBeNull();
  });

  it('treats a document under the current rules whose affinities are a list as no entry', () => {
    expect(readProfileDocument(written({ rules: PROFILE_RULES, profile: { ...made(), affinities: [0.5] } }), VISITOR)).toBeNull();
  });

  it('never reads another visitor\'s document', () => {
    const text = profileDocument(VISITOR, made());
    expect(readProfileDocument(text, 'u00043')).toBeNull();
    expect(readProfileDocument(profileDocument(VISITOR, null), 'u00043')).toBeNull();
  });

  it('remembers a 404 as an unknown visitor', () => {
    expect(readProfileDocument(profileDocument(VISITOR, null), VISITOR)).toEqual({ outcome: 'cached', profile: null, reason: 'unknown' });
  });
});
