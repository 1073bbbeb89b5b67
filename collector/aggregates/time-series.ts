/**
 * Time series for the dashboard over three windows (the last 5 minutes, the last hour, since the
 * collector started), bucketed by each event's own timestamp: one-second buckets for the last hour
 * and one-minute buckets since start, both bounded. A window is sent as columns (one array per
 * series) ready for uPlot. Percentiles of a point with fewer than MIN_PERCENTILE_SAMPLES page views
 * are null: at n = 2 a "p99" is just the slowest request, and showing it as a p99 misleads.
 */
import type { ClickstreamFields as ClickstreamEvent } from '../events/clickstream-event-schema.ts';
import type { DecisionFields as DecisionEvent } from '../events/decision-event-schema.ts';
import type { EventExtras } from './event-extras.ts';
import { FALLBACK_CAUSES, isFragmentFailure, pageFallback } from './fallback-cause.ts';
import { nearestRank } from './percentiles.ts';
import { addSample, bump, emptyBucket, mergeInto, type TimeBucket } from './time-bucket.ts';

export const MIN_PERCENTILE_SAMPLES = 20;
export const WINDOWS = ['5m', '1h', 'all'] as const;
export type WindowName = (typeof WINDOWS)[number];

const HOUR_S = 3600;
const MAX_MINUTES = 7 * 24 * 60;
const SECOND_SAMPLES = 100;
const MINUTE_SAMPLES = 600;
const MAX_POINTS_ALL = 120;
/** Events stamped more than this in the future of the newest so far are clock-skewed: not bucketed. */
const MAX_SKEW_S = 300;

export interface SeriesColumns {
  stepS: number;
  t: number[];
  rps: number[];
  pages: number[];
  ttfb: { p50: Array<number | null>; p95: Array<number | null>; p99: Array<number | null> };
  total: { p50: Array<number | null>; p95: Array<number | null>; p99: Array<number | null> };
  fallbackRate: Array<number | null>;
  causes: Record<string, Array<number | null>>;
  noConsentRate: Array<number | null>;
  pageHitRatio: Array<number | null>;
  fragments: Record<string, number[]>;
}

export interface WindowSummary {
  pages: number;
  fallbacks: number;
  fallbackRate: number | null;
  causes: Record<string, number>;
  noConsent: number;
  pageHits: number;
  fragments: Record<string, number>;
  fragmentFailures: number;
  profileWrites: Record<string, number>;
  orders: number;
  revenue: number;
  /** Purchases made through a QA preview link: real requests, but test orders, so not in `orders`. */
  previewOrders: number;
  ttfb: Record<string, number | null>;
  total: Record<string, number | null>;
  /** True when the window's percentiles rest on too few page views to mean much. */
  smallSample: boolean;
}

export interface WindowSnapshot {
  summary: WindowSummary;
  series: SeriesColumns;
}

export class TimeSeries {
  private readonly seconds = new Map<number, TimeBucket>();
  private readonly minutes = new Map<number, TimeBucket>();
  private latestS: number | null = null;
  private seen = 0;

  addDecision(event: DecisionEvent, extras: EventExtras): void {
    const at = this.place(event.ts);
    if (at === null) return;
    this.seen++;
    for (const bucket of at) {
      const cap = bucket === at[0] ? SECOND_SAMPLES : MINUTE_SAMPLES;
      const fallback = pageFallback(event, extras);
      bucket.pages++;
      if (fallback.causes.size > 0) bucket.fallbacks++;
      for (const cause of fallback.causes) bucket.causes[cause]++;
      if (fallback.noConsent) bucket.noConsent++;
      if (event.pageCache === 'HIT') bucket.pageHits++;
      for (const fragment of event.fragments) bump(bucket.fragments, fragment.outcome);
      addSample(bucket.ttfb, event.ttfbMs, this.seen, cap);
      addSample(bucket.total, event.totalMs, this.seen, cap);
      if (extras.profileWrite) bump(bucket.profileWrites, extras.profileWrite);
    }
  }

  addClickstream(event: ClickstreamEvent, extras: EventExtras): void {
    const at = this.place(event.ts);
    if (at === null) return;
    for (const bucket of at) {
      if (event.type === 'purchase' && event.preview === true) bucket.previewOrders++;
      else if (event.type === 'purchase') {
        bucket.orders++;
        bucket.revenue += extras.value ?? 0;
      }
      if (extras.profileWrite) bump(bucket.profileWrites, extras.profileWrite);
    }
  }

  /** The three windows, ending now (or at the newest event, for a replayed log that is over). */
  snapshot(nowMs: number): Record<WindowName, WindowSnapshot> | null {
    if (this.latestS === null) return null;
    const nowS = Math.floor(nowMs / 1000);
    const end = nowS >= this.latestS && nowS - this.latestS < HOUR_S ? nowS : this.latestS;
    const firstMinute = Math.min(...this.minutes.keys());
    const spanMin = Math.max(1, Math.floor(end / 60) - firstMinute + 1);
    const allStep = Math.ceil(spanMin / MAX_POINTS_ALL) * 60;
    return {
      '5m': this.window(this.seconds, end - 299, end, 5, 1),
      '1h': this.window(this.minutes, end - HOUR_S + 1, end, 60, 60),
      all: this.window(this.minutes, firstMinute * 60, end, allStep, 60),
    };
  }

  /** Buckets from `startS` to `endS` (inclusive) in points of `stepS`; `unitS` is the store's bucket width. */
  private window(store: Map<number, TimeBucket>, startS: number, endS: number, stepS: number, unitS: number): WindowSnapshot {
    const first = Math.floor(startS / stepS) * stepS;
    const points: Array<{ t: number; bucket: TimeBucket }> = [];
    const whole = emptyBucket();
    for (let t = first; t <= endS; t += stepS) {
      const bucket = emptyBucket();
      for (let u = Math.floor(t / unitS); u < Math.floor((t + stepS) / unitS); u++) {
        const found = store.get(u);
        if (found) mergeInto(bucket, found);
      }
      mergeInto(whole, bucket);
      points.push({ t, bucket });
    }
    return { summary: summarize(whole), series: columns(points, stepS) };
  }

  /** The second and minute buckets an event belongs to, or null when its clock is off. */
  private place(ts: string): [TimeBucket, TimeBucket] | null {
    const s = Math.floor(Date.parse(ts) / 1000);
    if (!Number.isFinite(s)) return null;
    if (this.latestS !== null && s > this.latestS + MAX_SKEW_S) return null;
    if (this.latestS === null || s > this.latestS) this.latestS = s;
    const second = s >= this.latestS - HOUR_S ? getOrAdd(this.seconds, s) : emptyBucket();
    const minute = getOrAdd(this.minutes, Math.floor(s / 60));
    prune(this.seconds, this.latestS - HOUR_S);
    if (this.minutes.size > MAX_MINUTES) this.minutes.delete(Math.min(...this.minutes.keys()));
    return [second, minute];
  }
}

function getOrAdd(store: Map<number, TimeBucket>, key: number): TimeBucket {
  let bucket = store.get(key);
  if (!bucket) store.set(key, (bucket = emptyBucket()));
  return bucket;
}

function prune(store: Map<number, TimeBucket>, before: number): void {
  for (const key of store.keys()) {
    if (key >= before) break;
    store.delete(key);
  }
}

function percentiles(samples: number[]): Record<string, number | null> {
  if (samples.length < MIN_PERCENTILE_SAMPLES) return { p50: null, p95: null, p99: null };
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: nearestRank(sorted, 50), p95: nearestRank(sorted, 95), p99: nearestRank(sorted, 99) };
}

function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

function summarize(bucket: TimeBucket): WindowSummary {
  const fragmentFailures = Object.entries(bucket.fragments).reduce((sum, [outcome, n]) => sum + (isFragmentFailure(outcome) ? n : 0), 0);
  return {
    pages: bucket.pages, fallbacks: bucket.fallbacks, fallbackRate: rate(bucket.fallbacks, bucket.pages),
    causes: { ...bucket.causes }, noConsent: bucket.noConsent, pageHits: bucket.pageHits,
    fragments: { ...bucket.fragments }, fragmentFailures, profileWrites: { ...bucket.profileWrites },
    orders: bucket.orders, revenue: Math.round(bucket.revenue * 100) / 100, previewOrders: bucket.previewOrders,
    ttfb: percentiles(bucket.ttfb), total: percentiles(bucket.total),
    smallSample: bucket.pages < MIN_PERCENTILE_SAMPLES,
  };
}

function columns(points: ReadonlyArray<{ t: number; bucket: TimeBucket }>, stepS: number): SeriesColumns {
  const outcomes = new Set(points.flatMap((p) => Object.keys(p.bucket.fragments)));
  const latency = (pick: (b: TimeBucket) => number[]) => {
    const rows = points.map((p) => percentiles(pick(p.bucket)));
    return { p50: rows.map((r) => r.p50 ?? null), p95: rows.map((r) => r.p95 ?? null), p99: rows.map((r) => r.p99 ?? null) };
  };
  return {
    stepS,
    t: points.map((p) => p.t),
    rps: points.map((p) => p.bucket.pages / stepS),
    pages: points.map((p) => p.bucket.pages),
    ttfb: latency((b) => b.ttfb),
    total: latency((b) => b.total),
    fallbackRate: points.map((p) => rate(p.bucket.fallbacks, p.bucket.pages)),
    causes: Object.fromEntries(FALLBACK_CAUSES.map((cause) => [cause, points.map((p) => rate(p.bucket.causes[cause], p.bucket.pages))])),
    noConsentRate: points.map((p) => rate(p.bucket.noConsent, p.bucket.pages)),
    pageHitRatio: points.map((p) => rate(p.bucket.pageHits, p.bucket.pages)),
    fragments: Object.fromEntries([...outcomes].sort().map((outcome) => [outcome, points.map((p) => p.bucket.fragments[outcome] ?? 0)])),
  };
}
