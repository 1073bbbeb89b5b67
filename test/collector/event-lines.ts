/** Builders for valid decision and clickstream event lines, with overrides, for collector tests. */
import type { DecisionEvent } from '../../src/core/log/decision-event.ts';
import type { ClickstreamEvent } from '../../src/core/beacon/clickstream-event.ts';

export function decisionEvent(overrides: Partial<DecisionEvent> = {}): DecisionEvent {
  return {
    v: 1, ts: '2026-11-20T10:00:00.000Z', requestId: 'req-1', pop: 'LHR', path: '/category/running', status: 200,
    segment: 'runner', variants: { 'hero-copy': 'bold' }, consent: 'granted', geo: 'eu-west', device: 'mobile',
    visitor: 'AAAAAAAAAAAAAAAAAAAAAA', profile: { outcome: 'hit', ms: 12 }, template: { cache: 'HIT', ms: 3 },
    fragments: [{ src: '/fragments/recs', outcome: 'ok', ms: 20, cache: 'MISS' }],
    pageCache: 'MISS', ttfbMs: 25, totalMs: 60, cpuMs: 1.2,
    ...overrides,
  };
}

export function clickEvent(overrides: Partial<ClickstreamEvent> = {}): ClickstreamEvent {
  return {
    v: 1, ts: '2026-11-20T10:00:01.000Z', requestId: 'req-2', type: 'click', slot: 'recs', item: 'sku-1017',
    page: '/product/shoes/sku-1017', segment: 'runner', variants: { 'hero-copy': 'bold' }, consent: 'granted', visitor: null,
    ...overrides,
  };
}

export const decisionLine = (overrides: Partial<DecisionEvent> = {}): string => `personalization_events :: ${JSON.stringify(decisionEvent(overrides))}`;
export const clickLine = (overrides: Partial<ClickstreamEvent> = {}): string => `clickstream :: ${JSON.stringify(clickEvent(overrides))}`;
