/**
 * What `parseProfile` examines of an oversize profile (profile-entries.ts): each list or map is read
 * up to 4 times its cap, and keeps the first usable, distinct entries among those. A profile within
 * the bound is read exactly as before, when every entry was examined until the cap was reached.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseProfile, PROFILE_LIMITS, type ProfileParseResult } from '../../../src/core/profile/profile-parse.ts';
import { PROFILE_EXAMINED_PER_KEPT } from '../../../src/core/profile/profile-entries.ts';

const many = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));
const LISTS = ['segments', 'recentCategories', 'recentItems', 'purchased'] as const;

function parsed(fields: Record<string, unknown>): ProfileParseResult & { ok: true } {
  const result = parseProfile({ id: 'u1', ...fields }, 'u1');
  if (!result.ok) throw new Error(result.reason);
  return result;
}

describe('an oversize profile', () => {
  it('examines 4 entries a kept one: segments 128, recentCategories 64, recentItems 128, purchased and affinities 256', () => {
    expect(PROFILE_EXAMINED_PER_KEPT).toBe(4);
    const bounds = LISTS.map((field) => PROFILE_LIMITS[field] * PROFILE_EXAMINED_PER_KEPT);
    expect([...bounds, PROFILE_LIMITS.affinities * PROFILE_EXAMINED_PER_KEPT]).toEqual([128, 64, 128, 256, 256]);
  });

  it.each(LISTS)('keeps from %s only what its first 4 × cap entries hold', (field) => {
    const bound = PROFILE_LIMITS[field] * PROFILE_EXAMINED_PER_KEPT;
    // Duplicates up to the bound: an entry at its last examined index is kept, one past it is not.
    expect(parsed({ [field]: [...many(bound - 1, () => 'dup'), 'last', 'past'] }).profile[field]).toEqual(['dup', 'last']);
    expect(parsed({ [field]: [...many(bound, () => 'dup'), 'past'] }).profile[field]).toEqual(['dup']);
    // Unclean strings count as examined too; an entry past the bound is not type-checked.
    expect(parsed({ [field]: [...many(bound, () => ''), 7, 'past'] }).profile[field]).toEqual([]);
  });

  it('rejects a wrong type within the bound of a strict list, not past it', () => {
    const bound = PROFILE_LIMITS.segments * PROFILE_EXAMINED_PER_KEPT;
    expect(parseProfile({ id: 'u1', segments: [...many(bound - 1, () => 'vip'), 7] }, 'u1')).toEqual({ ok: false, reason: 'segments: wrong type' });
    expect(parsed({ segments: [...many(bound, () => 'vip'), 7] }).profile.segments).toEqual(['vip']);
  });

  it("keeps the usable affinities among the map's first 256 keys, and type-checks no value past them", () => {
    const bound = PROFILE_LIMITS.affinities * PROFILE_EXAMINED_PER_KEPT;
    const outOfRange = (n: number) => Object.fromEntries(many(n, (i) => [`c${i}`, 2]));
    expect(parsed({ affinities: { ...outOfRange(bound - 1), last: 0.5, past: 0.25 } }).profile.affinities).toEqual({ last: 0.5 });
    expect(parsed({ affinities: { ...outOfRange(bound), past: 0.25 } }).profile.affinities).toEqual({});
    expect(parsed({ affinities: { ...outOfRange(bound), past: 'x' } }).profile.affinities).toEqual({});
    expect(parseProfile({ id: 'u1', affinities: { ...outOfRange(bound - 1), last: 'x' } }, 'u1')).toEqual({ ok: false, reason: 'affinities: wrong type' });
  });

  it("reads the hostile row's profile (6,000 copies of one segment, 2,500 affinities out of range) as one segment and no affinity", () => {
    const affinities = Object.fromEntries(many(2500, (i) => [`c${i}`, 2]));
    const { profile } = parsed({ tier: 'gold', segments: many(6000, () => 'vip'), affinities });
    expect([profile.tier, profile.segments, profile.affinities]).toEqual(['gold', ['vip'], {}]);
  });
});

// eslint-disable-next-line no-control-regex -- the parser's clean-string rule
const CLEAN = /^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]{1,64}$/;

/** The list rule as it was before the bound: every entry examined until the cap is reached. */
function unbounded(items: unknown[], cap: number): string[] {
  const kept: string[] = [];
  for (const item of items) {
    if (kept.length === cap) break;
    if (typeof item === 'string' && CLEAN.test(item) && !kept.includes(item)) kept.push(item);
  }
  return kept;
}

describe('a profile within the bound', () => {
  it('is read exactly as before: the first usable, distinct entries up to each cap', () => {
    const entry = fc.oneof(fc.constantFrom('a', 'b', 'c', '', 'x\u0000', 'y'.repeat(65)), fc.string({ maxLength: 3 }));
    const field = (cap: number) => fc.array(entry, { maxLength: cap * PROFILE_EXAMINED_PER_KEPT });
    const lists = fc.record({ segments: field(32), recentCategories: field(16), recentItems: field(32), purchased: field(64) });
    fc.assert(fc.property(lists, (fields) => {
      const { profile } = parsed(fields);
      for (const name of LISTS) expect(profile[name], name).toEqual(unbounded(fields[name], PROFILE_LIMITS[name]));
    }), { numRuns: 300 });
  });

  it('keeps up to 64 usable affinities among 256 keys as before', () => {
    const value = fc.constantFrom(0, 0.5, 1, 2, -1, Number.NaN);
    fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', '', 'z\u0001'), value), { maxLength: 256 }), (entries) => {
      const raw = Object.fromEntries(entries.map(([key, v], i) => [`${key}${i}`, v]));
      const expected = Object.fromEntries(Object.entries(raw).filter(([key, v]) => CLEAN.test(key) && v >= 0 && v <= 1).slice(0, 64));
      expect(parsed({ affinities: raw }).profile.affinities).toEqual(expected);
    }), { numRuns: 300 });
  });
});
