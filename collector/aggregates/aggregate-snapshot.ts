import type { BreakdownRow, Dimension } from './breakdowns.ts';
import type { WindowName, WindowSnapshot } from './time-series.ts';

/**
 * The aggregates the dashboard, the offline report and the warehouse SQL all show, as one
 * JSON-serializable value. Definitions (the SQL in warehouse/sql mirrors each one):
 * - template hit ratio: HIT or STALE over all template fetches, counting only page views not
 *   served from the assembled-page cache (those fetch no template);
 * - fragment hit ratio: HIT over fragment entries that were fetched (outcome not refused/skipped);
 * - page hit ratio: pageCache HIT over all page views;
 * - latency: nearest-rank p50/p95/p99 of ttfbMs and totalMs per page cache state;
 * - fragment failure rate: entries whose outcome is neither `ok` nor `alt` over all entries, per
 *   src (an include served from its `alt` is the fallback working, not a failure);
 * - experiments: exposures are page views per variant; CTR is clicks over impressions (beacons
 *   of that variant), with a Wilson 95% interval (clicks capped at impressions).
 */

export interface Ratio {
  hits: number;
  total: number;
  ratio: number | null;
}

export interface LatencyRow {
  pageCache: string;
  count: number;
  ttfb: Record<string, number | null>;
  total: Record<string, number | null>;
}

export interface FragmentRow {
  src: string;
  total: number;
  failures: number;
  failureRate: number;
  outcomes: Record<string, number>;
}

export interface ExperimentRow {
  experiment: string;
  variant: string;
  exposures: number;
  impressions: number;
  clicks: number;
  ctr: number | null;
  ctrLow: number | null;
  ctrHigh: number | null;
}

export interface AggregateSnapshot {
  totals: { decisions: number; impressions: number; clicks: number; rejected: number };
  rejected: Record<string, number>;
  segments: Record<string, number>;
  profileOutcomes: Record<string, number>;
  cache: { template: Ratio; fragment: Ratio; page: Ratio };
  latency: LatencyRow[];
  fragments: FragmentRow[];
  experiments: ExperimentRow[];
  /** ISO time of the latest event's own timestamp, or null before any. */
  lastEventTs: string | null;
  /** Time series and totals per window (time-series.ts); null before any page view. */
  windows: Record<WindowName, WindowSnapshot> | null;
  breakdowns: Record<Dimension, BreakdownRow[]>;
}

export const PERCENTILES = [50, 95, 99] as const;
