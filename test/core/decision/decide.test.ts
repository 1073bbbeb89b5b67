import { describe, expect, it } from 'vitest';
import { parseSegments } from '../../../src/core/config/segments.ts';
import { parseExperiments } from '../../../src/core/config/experiments.ts';
import { decide } from '../../../src/core/decision/decide.ts';
import type { VisitorFacts } from '../../../src/core/visitor/visitor-facts.ts';
import type { Consented, Identity } from '../../../src/core/visitor/identity.ts';
import type { Profile } from '../../../src/core/profile/profile.ts';

const segments = parseSegments(
  JSON.stringify({
    version: 1,
    default: 'general',
    rules: [
      { segment: 'vip', when: { 'profile.tier': { in: ['gold', 'platinum'] } } },
      { segment: 'runner', when: { 'session.categories': { contains: 'running' } } },
      { segment: 'mobile-visitor', when: { device: { eq: 'mobile' } } },
    ],
  }),
).value;
const experiments = parseExperiments(
  JSON.stringify([
    { id: 'always-b', variants: [{ id: 'control', weight: 0 }, { id: 'b', weight: 1 }], rollout: 100, segments: [] },
    { id: 'vip-only', variants: [{ id: 'control', weight: 0 }, { id: 'gold', weight: 1 }], rollout: 100, segments: ['vip'] },
    { id: 'killed', variants: [{ id: 'control', weight: 0 }, { id: 'x', weight: 1 }], rollout: 0 },
  ]),
).value;
const config = { segments, experiments };

const consented = (overrides: Partial<Consented> = {}): Consented => ({
  consent: 'granted', analytics: true, id: 'u00042', minted: false, session: { categories: [], changed: false }, ...overrides,
});
const context = (identity: Identity = consented(), overrides: Partial<VisitorFacts> = {}): VisitorFacts => ({
  identity,
  geo: { country: 'GB', region: 'eu-west' },
  device: 'desktop',
  locale: 'en-GB',
  problems: [],
  ...overrides,
});
const gold: Profile = { id: 'u00042', tier: 'gold', segments: [], affinities: {}, recentCategories: [], recentItems: [], purchased: [], locale: null, updatedAt: null };

describe('decide', () => {
  it('assigns the profile segment and every experiment', () => {
    expect(decide(context(), gold, config)).toEqual({
      segment: 'vip', variants: { 'always-b': 'b', 'vip-only': 'gold', killed: 'control' }, enrolled: { 'always-b': 'b', 'vip-only': 'gold' },
    });
  });

  it('reacts to the session within the same page view', () => {
    expect(decide(context(consented({ session: { categories: ['running'], changed: true } })), null, config).segment).toBe('runner');
  });

  it('keeps targeted experiments at control outside their segments', () => {
    expect(decide(context(), null, config)).toEqual({
      segment: 'general', variants: { 'always-b': 'b', 'vip-only': 'control', killed: 'control' }, enrolled: { 'always-b': 'b' },
    });
  });

  it.each([
    { name: 'denied', identity: { consent: 'denied', withdrawn: false } },
    { name: 'gpc', identity: { consent: 'gpc', withdrawn: false } },
    { name: 'denied by a visitor who still holds a vid', identity: { consent: 'denied', withdrawn: true } },
  ] as Array<{ name: string; identity: Identity }>)('uses only context and control variants when $name', ({ identity }) => {
    const decision = decide(context(identity, { device: 'mobile' }), gold, config);
    expect(decision).toEqual({
      segment: 'mobile-visitor', variants: { 'always-b': 'control', 'vip-only': 'control', killed: 'control' }, enrolled: {},
    });
  });

  it('keeps everything at control with consent but no id (no signing key)', () => {
    expect(decide(context(consented({ id: null })), null, config).variants).toEqual({ 'always-b': 'control', 'vip-only': 'control', killed: 'control' });
  });

  it('hands visitors without an id one frozen record of controls per experiments document', () => {
    const denied = { consent: 'denied', withdrawn: false } as const;
    const first = decide(context(denied), null, config);
    const second = decide(context(consented({ id: null })), null, config);
    expect(second.variants).toBe(first.variants);
    expect(Object.isFrozen(first.variants) && Object.isFrozen(first.enrolled)).toBe(true);
    const other = parseExperiments(JSON.stringify([{ id: 'hero', variants: [{ id: 'plain', weight: 1 }, { id: 'bold', weight: 1 }] }])).value;
    expect(decide(context(denied), null, { segments, experiments: other }).variants).toEqual({ hero: 'plain' });
    expect(decide(context(denied), null, config).variants).toEqual({ 'always-b': 'control', 'vip-only': 'control', killed: 'control' });
    expect(decide(context(), null, config).variants).not.toBe(first.variants);
  });
});
