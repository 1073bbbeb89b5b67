import { describe, expect, it } from 'vitest';
import { Aggregates } from '../../../collector/aggregates/aggregates.ts';
import { clickEvent, decisionEvent } from '../event-lines.ts';

describe('Aggregates', () => {
  it('counts segments and profile outcomes per page view', () => {
    const a = new Aggregates();
    a.addDecision(decisionEvent({ segment: 'vip', profile: { outcome: 'hit', ms: 1 } }));
    a.addDecision(decisionEvent({ segment: 'vip', profile: { outcome: 'timeout', ms: 50 } }));
    a.addDecision(decisionEvent({ segment: 'general', profile: { outcome: 'skipped', ms: 0 } }));
    const s = a.snapshot();
    expect(s.segments).toEqual({ general: 1, vip: 2 });
    expect(s.profileOutcomes).toEqual({ hit: 1, skipped: 1, timeout: 1 });
    expect(s.totals.decisions).toBe(3);
  });

  it('leaves page-cache hits out of the template hit ratio and counts STALE as a hit', () => {
    const a = new Aggregates();
    a.addDecision(decisionEvent({ pageCache: 'HIT', template: { cache: 'HIT', ms: 0 }, fragments: [] }));
    a.addDecision(decisionEvent({ pageCache: 'MISS', template: { cache: 'STALE', ms: 1 } }));
    a.addDecision(decisionEvent({ pageCache: 'BYPASS', template: { cache: 'MISS', ms: 9 } }));
    const { cache } = a.snapshot();
    expect(cache.page).toEqual({ hits: 1, total: 3, ratio: 1 / 3 });
    expect(cache.template).toEqual({ hits: 1, total: 2, ratio: 0.5 });
  });

  it('counts fragment cache hits over fetched fragments and failures over all entries', () => {
    const a = new Aggregates();
    a.addDecision(decisionEvent({ fragments: [
      { src: '/fragments/recs', outcome: 'ok', ms: 1, cache: 'HIT' },
      { src: '/fragments/recs', outcome: 'timeout', ms: 150, cache: 'MISS' },
      { src: '/fragments/hero', outcome: 'refused', ms: 0, cache: 'PASS' },
    ] }));
    const s = a.snapshot();
    expect(s.cache.fragment).toEqual({ hits: 1, total: 2, ratio: 0.5 });
    expect(s.fragments).toEqual([
      { src: '/fragments/hero', total: 1, failures: 1, failureRate: 1, outcomes: { refused: 1 } },
      { src: '/fragments/recs', total: 2, failures: 1, failureRate: 0.5, outcomes: { ok: 1, timeout: 1 } },
    ]);
  });

  it('reports latency percentiles per page cache state', () => {
    const a = new Aggregates();
    for (const ttfb of [10, 20, 30, 40]) a.addDecision(decisionEvent({ pageCache: 'MISS', ttfbMs: ttfb, totalMs: ttfb * 2 }));
    a.addDecision(decisionEvent({ pageCache: 'HIT', ttfbMs: 2, totalMs: 3 }));
    expect(a.snapshot().latency).toEqual([
      { pageCache: 'HIT', count: 1, ttfb: { p50: 2, p95: 2, p99: 2 }, total: { p50: 3, p95: 3, p99: 3 } },
      { pageCache: 'MISS', count: 4, ttfb: { p50: 20, p95: 40, p99: 40 }, total: { p50: 40, p95: 80, p99: 80 } },
    ]);
  });

  it('joins exposures, impressions and clicks per experiment variant with a Wilson interval', () => {
    const a = new Aggregates();
    a.addDecision(decisionEvent({ variants: { hero: 'bold' } }));
    a.addDecision(decisionEvent({ variants: { hero: 'control' } }));
    for (let i = 0; i < 10; i++) a.addClickstream(clickEvent({ type: 'impression', variants: { hero: 'bold' } }));
    for (let i = 0; i < 5; i++) a.addClickstream(clickEvent({ type: 'click', variants: { hero: 'bold' } }));
    const [bold, control] = a.snapshot().experiments;
    expect(bold).toMatchObject({ experiment: 'hero', variant: 'bold', exposures: 1, impressions: 10, clicks: 5, ctr: 0.5 });
    expect(bold!.ctrLow).toBeCloseTo(0.2366, 3);
    expect(control).toMatchObject({ variant: 'control', exposures: 1, impressions: 0, clicks: 0, ctr: null, ctrLow: null });
  });

  it('counts rejections by reason, folding array indices, without touching other numbers', () => {
    const a = new Aggregates();
    a.reject('decision: fragments[3].src bad');
    a.reject('decision: fragments[7].src bad');
    const s = a.snapshot();
    expect(s.rejected).toEqual({ 'decision: fragments[].src bad': 2 });
    expect(s.totals).toEqual({ decisions: 0, impressions: 0, clicks: 0, rejected: 2 });
  });

  it('caps distinct rejection reasons so hostile input cannot grow memory', () => {
    const a = new Aggregates();
    for (let i = 0; i < 500; i++) a.reject(`reason ${i}`);
    const s = a.snapshot();
    expect(Object.keys(s.rejected).length).toBeLessThanOrEqual(65);
    expect(s.rejected.other).toBe(500 - 64);
  });
});

describe('orders and QA previews on the dashboard', () => {
  const at = Date.parse('2026-11-20T10:00:30.000Z');
  const purchase = (preview: boolean | undefined) => ({ ...clickEvent({ type: 'purchase' as never }), ...(preview === undefined ? {} : { preview }) });

  it('counts a purchase as an order with its value, and a purchase through a preview link separately', () => {
    const a = new Aggregates(undefined, () => at);
    a.addClickstream(purchase(false), { profileReason: null, profileWrite: null, value: 40 });
    a.addClickstream(purchase(undefined), { profileReason: null, profileWrite: null, value: 2.5 });
    a.addClickstream(purchase(true), { profileReason: null, profileWrite: null, value: 999 });
    const summary = a.snapshot().windows!.all.summary;
    expect(summary).toMatchObject({ orders: 2, revenue: 42.5, previewOrders: 1 });
  });

  it('keeps a preview page view and its clicks out of the experiment arms but counts it as a page view', () => {
    const a = new Aggregates(undefined, () => at);
    a.addDecision({ ...decisionEvent({ variants: { 'hero-copy': 'bold' } }), preview: true });
    a.addClickstream({ ...clickEvent({ variants: { 'hero-copy': 'bold' } }), preview: true });
    a.addDecision(decisionEvent({ variants: { 'hero-copy': 'bold' } }));
    const s = a.snapshot();
    expect(s.totals.decisions).toBe(2);
    expect(s.experiments).toEqual([expect.objectContaining({ experiment: 'hero-copy', variant: 'bold', exposures: 1, clicks: 0 })]);
  });
});
