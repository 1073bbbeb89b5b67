/**
 * What happened in one slice of time: page views, their fallbacks by cause, page-cache hits,
 * fragment outcomes, orders and a bounded sample of latencies. Buckets merge, so a chart point
 * over ten seconds is the sum of ten one-second buckets.
 */
import { FALLBACK_CAUSES, type FallbackCause } from './fallback-cause.ts';

export interface TimeBucket {
  pages: number;
  fallbacks: number;
  causes: Record<FallbackCause, number>;
  noConsent: number;
  pageHits: number;
  fragments: Record<string, number>;
  profileWrites: Record<string, number>;
  orders: number;
  revenue: number;
  previewOrders: number;
  ttfb: number[];
  total: number[];
}

export function emptyBucket(): TimeBucket {
  return {
    pages: 0, fallbacks: 0, noConsent: 0, pageHits: 0, orders: 0, revenue: 0, previewOrders: 0,
    causes: Object.fromEntries(FALLBACK_CAUSES.map((cause) => [cause, 0])) as Record<FallbackCause, number>,
    fragments: {}, profileWrites: {}, ttfb: [], total: [],
  };
}

/** Keeps at most `cap` samples per bucket, overwriting in rotation once full (bounded memory). */
export function addSample(samples: number[], value: number, seen: number, cap: number): void {
  if (samples.length < cap) samples.push(value);
  else samples[seen % cap] = value;
}

export function bump(counts: Record<string, number>, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

export function mergeInto(target: TimeBucket, source: TimeBucket): void {
  target.pages += source.pages;
  target.fallbacks += source.fallbacks;
  target.noConsent += source.noConsent;
  target.pageHits += source.pageHits;
  target.orders += source.orders;
  target.revenue += source.revenue;
  target.previewOrders += source.previewOrders;
  for (const cause of FALLBACK_CAUSES) target.causes[cause] += source.causes[cause];
  for (const [key, n] of Object.entries(source.fragments)) bump(target.fragments, key, n);
  for (const [key, n] of Object.entries(source.profileWrites)) bump(target.profileWrites, key, n);
  for (const value of source.ttfb) target.ttfb.push(value);
  for (const value of source.total) target.total.push(value);
}
