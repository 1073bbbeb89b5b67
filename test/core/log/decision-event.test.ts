import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_EVENT_BYTES, roundMs, sampled, serializeDecisionEvent } from '../../../src/core/log/decision-event.ts';
import { parseDecisionEvent } from '../../../collector/events/decision-event-schema.ts';
import { decisionEvent } from '../../collector/event-lines.ts';

const bytes = (text: string) => new TextEncoder().encode(text).byteLength;
const manyFragments = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ src: `/fragments/recs-${i}?seg=runner&slot=${'x'.repeat(100)}`, outcome: 'ok' as const, ms: 1, cache: 'HIT' as const }));

describe('decision event', () => {
  it('serializes to a line the collector schema accepts unchanged', () => {
    const event = decisionEvent();
    // A v1 line reads at the collector as nothing exposed, no preview and no decision token.
    expect(parseDecisionEvent(JSON.parse(serializeDecisionEvent(event)))).toEqual({ ...event, exposed: [], preview: false, decision: null });
  });

  it('leaves an event under the cap untouched', () => {
    expect(serializeDecisionEvent(decisionEvent())).toBe(JSON.stringify(decisionEvent()));
  });

  it('drops fragments from the end with a count marker to stay under 4 KiB', () => {
    const line = serializeDecisionEvent(decisionEvent({ fragments: manyFragments(60) }));
    expect(bytes(line)).toBeLessThanOrEqual(MAX_EVENT_BYTES);
    const parsed = parseDecisionEvent(JSON.parse(line));
    expect(parsed.fragmentsTruncated).toBe(60 - parsed.fragments.length);
    expect(parsed.fragments[0]?.src).toContain('recs-0?');
  });

  it('keeps as many fragments as fit', () => {
    const line = serializeDecisionEvent(decisionEvent({ fragments: manyFragments(60) }));
    const kept = parseDecisionEvent(JSON.parse(line)).fragments.length;
    const withOneMore = JSON.stringify({ ...decisionEvent({ fragments: manyFragments(kept + 1) }), fragmentsTruncated: 60 - kept - 1 });
    expect(bytes(withOneMore)).toBeGreaterThan(MAX_EVENT_BYTES);
  });

  it('rounds durations to 0.1 ms', () => {
    expect(roundMs(12.3456)).toBe(12.3);
    expect(roundMs(0.04)).toBe(0);
  });

  it('samples deterministically from the request id', () => {
    fc.assert(fc.property(fc.string(), fc.double({ min: 0, max: 1, noNaN: true }), (id, rate) => {
      expect(sampled(id, rate)).toBe(sampled(id, rate));
    }));
  });

  it.each([0, 0.1, 0.5, 0.9])('keeps about %s of requests', (rate) => {
    let kept = 0;
    for (let i = 0; i < 10_000; i++) if (sampled(`req-${i}-${i * 7919}`, rate)) kept++;
    expect(Math.abs(kept / 10_000 - rate)).toBeLessThan(0.03);
  });

  it('keeps every request at rate 1 and none at rate 0', () => {
    expect(sampled('any', 1)).toBe(true);
    expect(sampled('any', 0)).toBe(false);
  });
});
