import { describe, expect, it } from 'vitest';
import { maxCopiesPerUrl } from '../../../src/core/cache-key/cardinality.ts';
import { DEFAULT_SETTINGS } from '../../../src/core/config/settings.ts';
import { DEFAULT_SEGMENTS, parseSegments } from '../../../src/core/config/segments.ts';
import { parseExperiments } from '../../../src/core/config/experiments.ts';
import { GEO_REGIONS } from '../../../src/core/visitor/geo-region.ts';

const settings = { ...DEFAULT_SETTINGS, locales: ['en-US', 'en-GB', 'de-DE', 'fr-FR'] };
const segments = parseSegments(
  JSON.stringify({
    version: 1,
    default: 'general',
    rules: [
      { segment: 'vip', when: { 'profile.tier': { eq: 'gold' } } },
      { segment: 'runner', when: { 'profile.affinities.running': { gte: 0.6 } } },
      { segment: 'runner', when: { 'session.categories': { contains: 'running' } } },
    ],
  }),
).value;
const experiments = (list: unknown[]) => parseExperiments(JSON.stringify(list)).value;
const ab = (overrides: Record<string, unknown>) => ({ id: 'e', variants: [{ id: 'control', weight: 1 }, { id: 'b', weight: 1 }], ...overrides });

describe('maxCopiesPerUrl', () => {
  it('multiplies locales, segments, reachable variants, devices and regions', () => {
    const result = maxCopiesPerUrl(settings, segments, experiments([ab({ id: 'hero' }), ab({ id: 'layout', variants: [{ id: 'a', weight: 1 }, { id: 'b', weight: 1 }, { id: 'c', weight: 1 }] })]));
    expect(result.factors).toEqual({ locales: 4, segments: 3, 'experiment:hero': 2, 'experiment:layout': 3, devices: 4, regions: GEO_REGIONS.length });
    expect(result.total).toBe(4 * 3 * 2 * 3 * 4 * GEO_REGIONS.length);
  });

  it.each([
    { name: 'a killed experiment', exp: ab({ rollout: 0 }), factor: 1 },
    { name: 'an experiment targeting no configured segment', exp: ab({ segments: ['nobody'] }), factor: 1 },
    { name: 'an experiment targeting one configured segment', exp: ab({ segments: ['vip', 'nobody'] }), factor: 2 },
    { name: 'a zero-weight variant', exp: ab({ variants: [{ id: 'control', weight: 1 }, { id: 'b', weight: 1 }, { id: 'off', weight: 0 }] }), factor: 2 },
    { name: 'a zero-weight control (still reachable without consent)', exp: ab({ variants: [{ id: 'control', weight: 0 }, { id: 'b', weight: 1 }] }), factor: 2 },
    { name: 'a partial rollout', exp: ab({ rollout: 10 }), factor: 2 },
  ])('counts $name as $factor', ({ exp, factor }) => {
    expect(maxCopiesPerUrl(settings, segments, experiments([exp])).factors['experiment:e']).toBe(factor);
  });

  it('is locales × segments × devices × regions with no experiments', () => {
    expect(maxCopiesPerUrl(DEFAULT_SETTINGS, DEFAULT_SEGMENTS, []).total).toBe(1 * 1 * 4 * GEO_REGIONS.length);
  });
});
