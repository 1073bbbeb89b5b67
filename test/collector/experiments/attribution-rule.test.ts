import { describe, expect, it } from 'vitest';
import { beaconOutcome, decisionCounts } from '../../../collector/experiments/attribution-rule.ts';
import type { ClickstreamRecord } from '../../../collector/events/clickstream-event-schema.ts';
import type { DecisionRecord } from '../../../collector/events/decision-event-schema.ts';
import { clickEvent, decisionEvent } from '../event-lines.ts';

const SPEC = { id: 'hero-copy', control: 'control', variants: [{ id: 'control', weight: 50 }, { id: 'bold', weight: 50 }], slots: ['hero'] };
const VISITOR = 'AAAAAAAAAAAAAAAAAAAAAA';

function beacon(patch: Partial<ClickstreamRecord>): ClickstreamRecord {
  return { ...clickEvent(), v: 2, slot: 'hero', visitor: VISITOR, attribution: 'token', exposed: ['hero-copy'], preview: false, value: null, ...patch };
}

describe('which beacons count toward an experiment', () => {
  it.each([
    { name: 'a token-attributed click in a slot the experiment shapes', patch: {}, outcome: 'click' },
    { name: 'a click in a slot it does not shape', patch: { slot: 'recs' }, outcome: null },
    { name: 'a click on a page where it was not exposed', patch: { exposed: ['recs-layout'] }, outcome: null },
    { name: 'a click whose token does not list exposure', patch: { exposed: null }, outcome: 'click' },
    { name: 'an unattributed click', patch: { attribution: 'none' as const, variants: {} }, outcome: null },
    { name: 'a click from a preview', patch: { preview: true }, outcome: null },
    { name: 'a click without a pseudonym', patch: { visitor: null }, outcome: null },
    { name: 'a v1 click', patch: { v: 1 as const, attribution: null }, outcome: null },
    { name: 'a click of a visitor not enrolled in it', patch: { variants: { 'recs-layout': 'grid' } }, outcome: null },
    { name: 'an impression', patch: { type: 'impression' as const }, outcome: null },
    { name: 'an add to cart in another slot', patch: { type: 'add_to_cart' as const, slot: 'add-to-cart', exposed: [] }, outcome: 'add_to_cart' },
    { name: 'a purchase', patch: { type: 'purchase' as const, slot: 'checkout', value: 10 }, outcome: 'purchase' },
    { name: 'a purchase from a preview', patch: { type: 'purchase' as const, preview: true }, outcome: null },
  ] satisfies Array<{ name: string; patch: Partial<ClickstreamRecord>; outcome: string | null }>)('$name → $outcome', ({ patch, outcome }) => {
    expect(beaconOutcome(beacon(patch as Partial<ClickstreamRecord>), SPEC)).toBe(outcome);
  });
});

describe('which page views enroll and expose', () => {
  const page = (patch: Partial<DecisionRecord>): DecisionRecord => ({ ...decisionEvent(), v: 2, exposed: [], preview: false, decision: null, visitor: VISITOR, ...patch });
  it.each([
    { name: 'a v2 page view of a known visitor', patch: {}, counts: true },
    { name: 'a preview', patch: { preview: true }, counts: false },
    { name: 'a visitor without a pseudonym', patch: { visitor: null }, counts: false },
    { name: 'a v1 page view (unenrolled visitors logged as control)', patch: { v: 1 as const }, counts: false },
  ])('$name counts: $counts', ({ patch, counts }) => {
    expect(decisionCounts(page(patch))).toBe(counts);
  });
});
