/**
 * The profile boundary: wrong types reject, unusable values are dropped, caps hold, and no
 * input at all can make the parser throw or let a control character through.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseProfile } from '../../../src/core/profile/profile-parse.ts';
import { storeProfile } from './profile-harness.ts';

// eslint-disable-next-line no-control-regex -- the characters the parser must never let through
const CLEAN = /^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]{1,64}$/;
const many = (n: number, make: (i: number) => string) => Array.from({ length: n }, (_, i) => make(i));

describe('parseProfile', () => {
  it('fills every optional field with an empty value when only the id is given', () => {
    expect(parseProfile({ id: 'u1' }, 'u1')).toEqual({
      ok: true,
      profile: { id: 'u1', tier: null, segments: [], affinities: {}, recentCategories: [], recentItems: [], purchased: [], locale: null, updatedAt: null },
    });
  });

  it('keeps a complete profile of docs/contracts.md#profile-store and ignores unknown fields', () => {
    const result = parseProfile({ ...storeProfile('u00042'), email: 'x@example.com', nested: { a: 1 } }, 'u00042');
    expect(result).toEqual({
      ok: true,
      profile: {
        id: 'u00042',
        tier: 'gold',
        segments: ['runner'],
        affinities: { running: 0.82 },
        recentCategories: ['shoes'],
        recentItems: ['sku-1005'],
        purchased: ['sku-1001'],
        locale: 'en-GB',
        updatedAt: '2026-11-20T10:00:00Z',
      },
    });
  });

  it.each([
    { name: 'null', json: null, reason: 'not an object' },
    { name: 'an array', json: [{ id: 'u1' }], reason: 'not an object' },
    { name: 'a string', json: '{"id":"u1"}', reason: 'not an object' },
    { name: 'no id', json: { tier: 'gold' }, reason: 'id: missing' },
    { name: 'a numeric id', json: { id: 1 }, reason: 'id: missing' },
    { name: 'another id', json: { id: 'u2' }, reason: 'id: mismatch' },
    { name: 'an id differing in case', json: { id: 'U1' }, reason: 'id: mismatch' },
    { name: 'a numeric tier', json: { id: 'u1', tier: 1 }, reason: 'tier: wrong type' },
    { name: 'an object locale', json: { id: 'u1', locale: { $ne: 1 } }, reason: 'locale: wrong type' },
    { name: 'a boolean updatedAt', json: { id: 'u1', updatedAt: true }, reason: 'updatedAt: wrong type' },
    { name: 'segments as a string', json: { id: 'u1', segments: 'vip' }, reason: 'segments: wrong type' },
    { name: 'a numeric segment', json: { id: 'u1', segments: ['a', 2] }, reason: 'segments: wrong type' },
    { name: 'categories as an object', json: { id: 'u1', recentCategories: { 0: 'a' } }, reason: 'recentCategories: wrong type' },
    { name: 'affinities as an array', json: { id: 'u1', affinities: [0.5] }, reason: 'affinities: wrong type' },
    { name: 'a string affinity', json: { id: 'u1', affinities: { a: '0.5' } }, reason: 'affinities: wrong type' },
    { name: 'a null affinity', json: { id: 'u1', affinities: { a: null } }, reason: 'affinities: wrong type' },
  ])('rejects $name', ({ json, reason }) => {
    expect(parseProfile(json, 'u1')).toEqual({ ok: false, reason });
  });

  it.each([
    { name: 'a tier with CRLF', field: { tier: 'gold\r\nX-Evil: 1' }, expected: { tier: null } },
    { name: 'a locale with a header injection', field: { locale: 'en\r\nX-Evil: 1' }, expected: { locale: null } },
    { name: 'a locale that is not a language tag', field: { locale: 'en GB' }, expected: { locale: null } },
    { name: 'a tier over 64 characters', field: { tier: 'g'.repeat(65) }, expected: { tier: null } },
    { name: 'an empty tier', field: { tier: '' }, expected: { tier: null } },
    { name: 'a null tier', field: { tier: null }, expected: { tier: null } },
    { name: 'a segment with a NUL', field: { segments: ['a\u0000b', 'ok'] }, expected: { segments: ['ok'] } },
    { name: 'a segment with U+2028', field: { segments: ['a\u2028b', 'ok'] }, expected: { segments: ['ok'] } },
    { name: 'a category with a C1 control', field: { recentCategories: ['a\u0085', 'shoes'] }, expected: { recentCategories: ['shoes'] } },
    { name: 'duplicate segments', field: { segments: ['a', 'b', 'a'] }, expected: { segments: ['a', 'b'] } },
    { name: 'an affinity above 1', field: { affinities: { a: 1.5, b: 0.5 } }, expected: { affinities: { b: 0.5 } } },
    { name: 'a negative affinity', field: { affinities: { a: -0.1, b: 0 } }, expected: { affinities: { b: 0 } } },
    { name: 'an affinity key with a newline', field: { affinities: { 'a\nb': 0.2, c: 1 } }, expected: { affinities: { c: 1 } } },
  ])('drops $name and keeps the rest', ({ field, expected }) => {
    const result = parseProfile({ ...storeProfile('u1'), ...field }, 'u1');
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.profile).toMatchObject(expected);
  });

  it.each([
    { name: 'a non-string item', field: { recentItems: [7, 'sku-1', null, { id: 'x' }, 'sku-2'] }, expected: { recentItems: ['sku-1', 'sku-2'] } },
    { name: 'an item with CRLF', field: { purchased: ['sku-1\r\nSet-Cookie: x=1', 'sku-2'] }, expected: { purchased: ['sku-2'] } },
    { name: 'an empty or over-long item', field: { recentItems: ['', 'i'.repeat(65), 'sku-3'] }, expected: { recentItems: ['sku-3'] } },
    { name: 'duplicate items', field: { purchased: ['sku-1', 'sku-1', 'sku-2'] }, expected: { purchased: ['sku-1', 'sku-2'] } },
    { name: 'an item list that is a string', field: { recentItems: 'sku-1' }, expected: { recentItems: [] } },
    { name: 'an item list that is an object', field: { purchased: { 0: 'sku-1' } }, expected: { purchased: [] } },
  ])('drops $name from the item lists and keeps the profile', ({ field, expected }) => {
    const result = parseProfile({ ...storeProfile('u1'), ...field }, 'u1');
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.profile).toMatchObject({ ...expected, tier: 'gold' });
  });

  it('caps recent items at 32 and purchases at 64, keeping the first ones', () => {
    const result = parseProfile({ id: 'u1', recentItems: many(40, (i) => `r${i}`), purchased: many(100, (i) => `p${i}`) }, 'u1');
    if (!result.ok) throw new Error(result.reason);
    expect(result.profile.recentItems).toEqual(many(32, (i) => `r${i}`));
    expect(result.profile.purchased).toEqual(many(64, (i) => `p${i}`));
  });

  it('keeps a tier of exactly 64 characters', () => {
    const result = parseProfile({ id: 'u1', tier: 't'.repeat(64) }, 'u1');
    expect(result.ok && result.profile.tier).toBe('t'.repeat(64));
  });

  it('drops a non-finite affinity handed over as a JS value', () => {
    const result = parseProfile({ id: 'u1', affinities: { a: Number.NaN, b: Number.POSITIVE_INFINITY, c: 0.3 } }, 'u1');
    expect(result.ok && { ...result.profile.affinities }).toEqual({ c: 0.3 });
  });

  it('caps segments, categories and affinities at their limits, keeping the first ones', () => {
    const result = parseProfile(
      {
        id: 'u1',
        segments: many(40, (i) => `s${i}`),
        recentCategories: many(20, (i) => `c${i}`),
        affinities: Object.fromEntries(many(70, (i) => `a${i}`).map((key) => [key, 0.5])),
      },
      'u1',
    );
    if (!result.ok) throw new Error(result.reason);
    expect(result.profile.segments).toEqual(many(32, (i) => `s${i}`));
    expect(result.profile.recentCategories).toEqual(many(16, (i) => `c${i}`));
    expect(Object.keys(result.profile.affinities)).toEqual(many(64, (i) => `a${i}`));
  });

  it('does not examine list elements past the cap', () => {
    const result = parseProfile({ id: 'u1', segments: [...many(32, (i) => `s${i}`), 7] }, 'u1');
    expect(result.ok && result.profile.segments.length).toBe(32);
  });

  it('keeps prototype-named affinity keys as plain data', () => {
    const result = parseProfile(JSON.parse('{"id":"u1","affinities":{"__proto__":0.4,"constructor":0.6}}'), 'u1');
    if (!result.ok) throw new Error(result.reason);
    expect(Object.keys(result.profile.affinities).sort()).toEqual(['__proto__', 'constructor']);
    expect(result.profile.affinities.constructor).toBe(0.6);
    expect(Object.getPrototypeOf(result.profile.affinities)).toBeNull();
  });

  it('returns a frozen profile', () => {
    const result = parseProfile(storeProfile('u1'), 'u1');
    if (!result.ok) throw new Error(result.reason);
    expect(Object.isFrozen(result.profile)).toBe(true);
    expect(Object.isFrozen(result.profile.segments)).toBe(true);
    expect(Object.isFrozen(result.profile.affinities)).toBe(true);
  });

  it('never throws for any JSON document', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue()), (json, fields) => {
        expect(() => parseProfile(json, 'u1')).not.toThrow();
        expect(() => parseProfile({ ...fields, id: 'u1' }, 'u1')).not.toThrow();
      }),
    );
  });

  it('only ever returns clean, capped values for well-typed fields holding any strings and numbers', () => {
    const text = fc.string({ unit: 'binary', maxLength: 80 });
    const profileLike = fc.record(
      {
        tier: fc.option(text),
        segments: fc.array(text, { maxLength: 40 }),
        affinities: fc.dictionary(text, fc.double(), { maxKeys: 80 }),
        recentCategories: fc.array(text, { maxLength: 30 }),
        recentItems: fc.array(fc.oneof(text, fc.integer()), { maxLength: 40 }),
        purchased: fc.array(text, { maxLength: 70 }),
        locale: fc.option(text),
        updatedAt: fc.option(text),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(profileLike, (fields) => {
        const result = parseProfile({ ...fields, id: 'u1' }, 'u1');
        if (!result.ok) throw new Error(result.reason);
        const { profile } = result;
        const strings = [profile.tier, profile.locale, profile.updatedAt, ...profile.segments, ...profile.recentCategories, ...profile.recentItems, ...profile.purchased, ...Object.keys(profile.affinities)];
        for (const value of strings) if (value !== null) expect(value).toMatch(CLEAN);
        for (const value of Object.values(profile.affinities)) expect(value >= 0 && value <= 1).toBe(true);
        expect(profile.segments.length).toBeLessThanOrEqual(32);
        expect(profile.recentCategories.length).toBeLessThanOrEqual(16);
        expect(profile.recentItems.length).toBeLessThanOrEqual(32);
        expect(profile.purchased.length).toBeLessThanOrEqual(64);
        expect(Object.keys(profile.affinities).length).toBeLessThanOrEqual(64);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps every clean string segment it is given, up to the cap', () => {
    const clean = fc.stringMatching(/^[a-z0-9-]{1,64}$/);
    fc.assert(
      fc.property(fc.uniqueArray(clean, { maxLength: 32 }), (segments) => {
        const result = parseProfile({ id: 'u1', segments }, 'u1');
        expect(result.ok && result.profile.segments).toEqual(segments);
      }),
    );
  });
});
