import { describe, expect, it } from 'vitest';
import { parseSegments } from '../../../src/core/config/segments.ts';
import { matchSegment, type SegmentFacts } from '../../../src/core/decision/segment-match.ts';
import type { Profile } from '../../../src/core/profile/profile.ts';

const facts = (overrides: Partial<SegmentFacts> = {}): SegmentFacts => ({
  device: 'desktop',
  geo: { country: 'GB', region: 'eu-west' },
  locale: 'en-GB',
  session: { categories: [] },
  ...overrides,
});

const profile = (overrides: Partial<Profile> = {}): Profile => ({
  id: 'u00042',
  tier: null,
  segments: [],
  affinities: {},
  recentCategories: [],
  recentItems: [],
  purchased: [],
  locale: null,
  updatedAt: null,
  ...overrides,
});

/** One rule `hit` with the given `when`, default `miss`. */
const matches = (when: Record<string, unknown>, f: SegmentFacts, p: Profile | null): boolean => {
  const parsed = parseSegments(JSON.stringify({ version: 1, default: 'miss', rules: [{ segment: 'hit', when }] }));
  expect(parsed.problems).toEqual([]);
  return matchSegment(parsed.value, f, p) === 'hit';
};

describe('matchSegment', () => {
  it.each([
    { name: 'eq on device', when: { device: { eq: 'desktop' } }, f: facts(), p: null, expected: true },
    { name: 'eq on device, other value', when: { device: { eq: 'mobile' } }, f: facts(), p: null, expected: false },
    { name: 'ne on a present value', when: { device: { ne: 'mobile' } }, f: facts(), p: null, expected: true },
    { name: 'in on geo.region', when: { 'geo.region': { in: ['eu-west', 'eu-north'] } }, f: facts(), p: null, expected: true },
    { name: 'eq on geo.country', when: { 'geo.country': { eq: 'GB' } }, f: facts(), p: null, expected: true },
    { name: 'eq on a missing geo.country', when: { 'geo.country': { eq: 'GB' } }, f: facts({ geo: { country: null, region: 'unknown' } }), p: null, expected: false },
    { name: 'eq on locale', when: { locale: { eq: 'en-GB' } }, f: facts(), p: null, expected: true },
    { name: 'contains on a string (substring)', when: { locale: { contains: 'GB' } }, f: facts(), p: null, expected: true },
    { name: 'contains on a string is case-sensitive', when: { locale: { contains: 'gb' } }, f: facts(), p: null, expected: false },
    { name: 'contains on session.categories', when: { 'session.categories': { contains: 'running' } }, f: facts({ session: { categories: ['shoes', 'running'] } }), p: null, expected: true },
    { name: 'contains needs an element, not a substring', when: { 'session.categories': { contains: 'run' } }, f: facts({ session: { categories: ['running'] } }), p: null, expected: false },
    { name: 'exists on an empty list', when: { 'session.categories': { exists: true } }, f: facts(), p: null, expected: false },
    { name: 'exists:false on an empty list', when: { 'session.categories': { exists: false } }, f: facts(), p: null, expected: true },
    { name: 'in on profile.tier', when: { 'profile.tier': { in: ['gold', 'platinum'] } }, f: facts(), p: profile({ tier: 'gold' }), expected: true },
    { name: 'in on a null tier', when: { 'profile.tier': { in: ['gold'] } }, f: facts(), p: profile(), expected: false },
    { name: 'any operator without a profile', when: { 'profile.tier': { eq: 'gold' } }, f: facts(), p: null, expected: false },
    { name: 'ne without a profile', when: { 'profile.tier': { ne: 'gold' } }, f: facts(), p: null, expected: true },
    { name: 'exists:false without a profile', when: { 'profile.tier': { exists: false } }, f: facts(), p: null, expected: true },
    { name: 'exists:true without a profile', when: { 'profile.tier': { exists: true } }, f: facts(), p: null, expected: false },
    { name: 'gte on an affinity', when: { 'profile.affinities.running': { gte: 0.6 } }, f: facts(), p: profile({ affinities: { running: 0.6 } }), expected: true },
    { name: 'gte below', when: { 'profile.affinities.running': { gte: 0.6 } }, f: facts(), p: profile({ affinities: { running: 0.59 } }), expected: false },
    { name: 'lte on an affinity', when: { 'profile.affinities.running': { lte: 0.2 } }, f: facts(), p: profile({ affinities: { running: 0.2 } }), expected: true },
    { name: 'lte on an absent affinity', when: { 'profile.affinities.running': { lte: 0.2 } }, f: facts(), p: profile(), expected: false },
    { name: 'in on numbers', when: { 'profile.affinities.x': { in: [1, 2] } }, f: facts(), p: profile({ affinities: { x: 2 } }), expected: true },
    { name: 'eq on a number', when: { 'profile.affinities.x': { eq: 1 } }, f: facts(), p: profile({ affinities: { x: 1 } }), expected: true },
    { name: 'contains on profile.segments', when: { 'profile.segments': { contains: 'runner' } }, f: facts(), p: profile({ segments: ['runner'] }), expected: true },
    { name: 'contains on profile.recentCategories', when: { 'profile.recentCategories': { contains: 'shoes' } }, f: facts(), p: profile({ recentCategories: ['hats'] }), expected: false },
    { name: 'eq on profile.locale', when: { 'profile.locale': { eq: 'en-GB' } }, f: facts(), p: profile({ locale: 'en-GB' }), expected: true },
    { name: 'all conditions holding', when: { device: { eq: 'desktop' }, locale: { eq: 'en-GB' } }, f: facts(), p: null, expected: true },
    { name: 'one condition failing', when: { device: { eq: 'desktop' }, locale: { eq: 'de-DE' } }, f: facts(), p: null, expected: false },
    { name: 'an empty when', when: {}, f: facts(), p: null, expected: true },
  ])('$name → $expected', ({ when, f, p, expected }) => {
    expect(matches(when, f, p)).toBe(expected);
  });

  it('takes the first matching rule in document order', () => {
    const { value } = parseSegments(
      JSON.stringify({
        version: 1,
        default: 'general',
        rules: [
          { segment: 'vip', when: { 'profile.tier': { eq: 'gold' } } },
          { segment: 'mobile-visitor', when: { device: { eq: 'mobile' } } },
          { segment: 'runner', when: { device: { eq: 'mobile' } } },
        ],
      }),
    );
    expect(matchSegment(value, facts({ device: 'mobile' }), profile({ tier: 'gold' }))).toBe('vip');
    expect(matchSegment(value, facts({ device: 'mobile' }), null)).toBe('mobile-visitor');
    expect(matchSegment(value, facts(), null)).toBe('general');
  });
});
