import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../../origin/data/catalog.ts';
import { LOCALES, VISITOR_COUNT, isKnownVisitor, profileFor, visitorId } from '../../../origin/data/profile-for.ts';

const everyone = Array.from({ length: VISITOR_COUNT }, (_, index) => profileFor(visitorId(index)));

describe('profileFor', () => {
  it('returns the same profile for the same id on every call', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: VISITOR_COUNT - 1 }), (index) => {
        expect(profileFor(visitorId(index))).toEqual(profileFor(visitorId(index)));
      }),
    );
  });

  it('pins one profile so the dataset cannot drift unnoticed', () => {
    expect(profileFor('u00042')).toEqual({
      id: 'u00042',
      tier: 'silver',
      segments: ['runner'],
      affinities: { running: 0.97, outdoor: 0.26, shoes: 0.4, jackets: 0.01 },
      recentCategories: ['running', 'jackets', 'outdoor'],
      locale: 'de-DE',
      updatedAt: '2026-02-16T01:32:39Z',
    });
  });

  it('knows exactly u00000..u09999 plus the named demo visitors', () => {
    expect(everyone.every((profile) => profile !== null)).toBe(true);
    expect(new Set(everyone.map((profile) => profile?.id)).size).toBe(10_000);
    expect(profileFor('u10000')).toBeNull();
    expect(profileFor('u0042')).toBeNull();
    expect(profileFor('nobody')).toBeNull();
    expect(profileFor('__proto__')).toBeNull();
    expect(profileFor('demo-vip')?.tier).toBe('platinum');
    expect(profileFor('demo-runner')?.affinities.running).toBeGreaterThanOrEqual(0.6);
    expect(isKnownVisitor('demo-outdoor')).toBe(true);
  });

  it('produces well-formed profiles', () => {
    for (const profile of everyone) {
      expect(['none', 'silver', 'gold', 'platinum']).toContain(profile!.tier);
      expect(LOCALES).toContain(profile!.locale);
      expect(Object.keys(profile!.affinities)).toEqual([...CATEGORIES]);
      expect(Object.values(profile!.affinities).every((score) => score >= 0 && score <= 1)).toBe(true);
      expect(new Set(profile!.recentCategories).size).toBe(profile!.recentCategories.length);
      expect(profile!.updatedAt).toMatch(/^2026-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
  });

  it('populates every demo segment with a healthy share of visitors', () => {
    const share = (test: (profile: NonNullable<ReturnType<typeof profileFor>>) => boolean): number =>
      everyone.filter((profile) => profile !== null && test(profile)).length / VISITOR_COUNT;
    expect(share((p) => p.tier === 'gold' || p.tier === 'platinum')).toBeGreaterThan(0.08);
    expect(share((p) => p.tier === 'gold' || p.tier === 'platinum')).toBeLessThan(0.12);
    expect(share((p) => p.affinities.running >= 0.6)).toBeGreaterThan(0.22);
    expect(share((p) => p.affinities.running >= 0.6)).toBeLessThan(0.28);
    expect(share((p) => p.affinities.outdoor >= 0.6)).toBeGreaterThan(0.17);
    expect(share((p) => p.tier === 'none' && p.affinities.running < 0.6 && p.affinities.outdoor < 0.6)).toBeGreaterThan(0.3);
    for (const locale of LOCALES) expect(share((p) => p.locale === locale)).toBeGreaterThan(0.1);
  });
});
