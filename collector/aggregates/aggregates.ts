/**
 * Running aggregates over validated events, kept in memory by the collector and rebuilt by the
 * offline report. Counters only grow; latency samples are bounded (see percentiles.ts). Rejected
 * lines are counted by reason and never touch the other numbers.
 */
import type { DecisionFields as DecisionEvent } from '../events/decision-event-schema.ts';
import type { ClickstreamFields as ClickstreamEvent } from '../events/clickstream-event-schema.ts';
import type { ParsedLine } from '../events/parse-log-line.ts';
import { SampleWindow } from './percentiles.ts';
import { wilsonInterval } from './wilson.ts';
import { Breakdowns } from './breakdowns.ts';
import { readExtras, NO_EXTRAS, type EventExtras } from './event-extras.ts';
import { isFragmentFailure } from './fallback-cause.ts';
import { TimeSeries } from './time-series.ts';
import { PERCENTILES, type AggregateSnapshot, type ExperimentRow, type FragmentRow, type LatencyRow, type Ratio } from './aggregate-snapshot.ts';

/** Distinct rejection reasons kept; past this they are counted as "other". */
const MAX_REASONS = 64;
/** Distinct fragment srcs and experiment arms kept, so hostile cardinality cannot grow memory. */
const MAX_KEYS = 1000;

interface Arm { exposures: number; impressions: number; clicks: number }

export class Aggregates {
  private decisions = 0;
  private impressions = 0;
  private clicks = 0;
  private rejectedTotal = 0;
  private readonly rejected = new Map<string, number>();
  private readonly segments = new Map<string, number>();
  private readonly profileOutcomes = new Map<string, number>();
  private readonly template = { hits: 0, total: 0 };
  private readonly fragmentCache = { hits: 0, total: 0 };
  private readonly page = { hits: 0, total: 0 };
  private readonly latency = new Map<string, { ttfb: SampleWindow; total: SampleWindow }>();
  private readonly fragments = new Map<string, Map<string, number>>();
  private readonly arms = new Map<string, Arm>();
  private lastEventTs: string | null = null;
  private readonly series = new TimeSeries();
  private readonly breakdowns = new Breakdowns();

  /** `now` places the time windows; tests pass a fixed clock. */
  constructor(private readonly sampleCapacity?: number, private readonly now: () => number = Date.now) {}

  /** Adds a parsed line: an event, a rejection, or (reason null) nothing. */
  addParsed(parsed: ParsedLine): void {
    if (parsed.ok) {
      const extras = readExtras(parsed.raw);
      if (parsed.kind === 'decision') this.addDecision(parsed.event, extras);
      else this.addClickstream(parsed.event, extras);
    } else if (parsed.reason !== null) {
      this.reject(parsed.reason);
    }
  }

  reject(reason: string): void {
    this.rejectedTotal++;
    const normalized = reason.replace(/\[\d+\]/g, '[]');
    const key = this.rejected.has(normalized) || this.rejected.size < MAX_REASONS ? normalized : 'other';
    bump(this.rejected, key);
  }

  addDecision(event: DecisionEvent, extras: EventExtras = NO_EXTRAS): void {
    this.decisions++;
    this.series.addDecision(event, extras);
    this.breakdowns.add(event, extras);
    this.touch(event.ts);
    bump(this.segments, event.segment);
    bump(this.profileOutcomes, event.profile.outcome);
    this.page.total++;
    if (event.pageCache === 'HIT') this.page.hits++;
    else {
      this.template.total++;
      if (event.template.cache === 'HIT' || event.template.cache === 'STALE') this.template.hits++;
    }
    let window = this.latency.get(event.pageCache);
    if (!window) {
      window = { ttfb: new SampleWindow(this.sampleCapacity), total: new SampleWindow(this.sampleCapacity) };
      this.latency.set(event.pageCache, window);
    }
    window.ttfb.add(event.ttfbMs);
    window.total.add(event.totalMs);
    for (const fragment of event.fragments) {
      if (fragment.outcome !== 'refused' && fragment.outcome !== 'skipped') {
        this.fragmentCache.total++;
        if (fragment.cache === 'HIT') this.fragmentCache.hits++;
      }
      const outcomes = this.fragments.get(fragment.src) ?? (this.fragments.size < MAX_KEYS ? new Map<string, number>() : null);
      if (outcomes === null) continue;
      this.fragments.set(fragment.src, outcomes);
      bump(outcomes, fragment.outcome);
    }
    if (event.preview === true) return;
    for (const [experiment, variant] of Object.entries(event.variants)) {
      const arm = this.arm(experiment, variant);
      if (arm) arm.exposures++;
    }
  }

  addClickstream(event: ClickstreamEvent, extras: EventExtras = NO_EXTRAS): void {
    this.touch(event.ts);
    this.series.addClickstream(event, extras);
    if (event.type === 'click') this.clicks++;
    else if (event.type === 'impression') this.impressions++;
    if (event.preview === true) return;
    for (const [experiment, variant] of Object.entries(event.variants)) {
      const arm = this.arm(experiment, variant);
      if (!arm) continue;
      if (event.type === 'click') arm.clicks++;
      else if (event.type === 'impression') arm.impressions++;
    }
  }

  snapshot(): AggregateSnapshot {
    return {
      totals: { decisions: this.decisions, impressions: this.impressions, clicks: this.clicks, rejected: this.rejectedTotal },
      rejected: sortedObject(this.rejected),
      segments: sortedObject(this.segments),
      profileOutcomes: sortedObject(this.profileOutcomes),
      cache: { template: ratio(this.template), fragment: ratio(this.fragmentCache), page: ratio(this.page) },
      latency: this.latencyRows(),
      fragments: this.fragmentRows(),
      experiments: this.experimentRows(),
      lastEventTs: this.lastEventTs,
      windows: this.series.snapshot(this.now()),
      breakdowns: this.breakdowns.snapshot(),
    };
  }

  private arm(experiment: string, variant: string): Arm | null {
    const key = `${experiment}\u0000${variant}`;
    let arm = this.arms.get(key);
    if (!arm) {
      if (this.arms.size >= MAX_KEYS) return null;
      arm = { exposures: 0, impressions: 0, clicks: 0 };
      this.arms.set(key, arm);
    }
    return arm;
  }

  private touch(ts: string): void {
    if (this.lastEventTs === null || ts > this.lastEventTs) this.lastEventTs = ts;
  }

  private latencyRows(): LatencyRow[] {
    return [...this.latency.entries()].sort(([a], [b]) => compare(a, b)).map(([pageCache, w]) => ({
      pageCache, count: w.ttfb.count, ttfb: w.ttfb.percentiles(PERCENTILES), total: w.total.percentiles(PERCENTILES),
    }));
  }

  private fragmentRows(): FragmentRow[] {
    return [...this.fragments.entries()].sort(([a], [b]) => compare(a, b)).map(([src, outcomes]) => {
      const total = [...outcomes.values()].reduce((sum, n) => sum + n, 0);
      const failures = [...outcomes.entries()].reduce((sum, [outcome, n]) => sum + (isFragmentFailure(outcome) ? n : 0), 0);
      return { src, total, failures, failureRate: total === 0 ? 0 : failures / total, outcomes: sortedObject(outcomes) };
    });
  }

  private experimentRows(): ExperimentRow[] {
    return [...this.arms.entries()].sort(([a], [b]) => compare(a, b)).map(([key, arm]) => {
      const [experiment = '', variant = ''] = key.split('\u0000');
      const interval = wilsonInterval(Math.min(arm.clicks, arm.impressions), arm.impressions);
      return {
        experiment, variant, ...arm,
        ctr: arm.impressions === 0 ? null : arm.clicks / arm.impressions,
        ctrLow: interval?.low ?? null,
        ctrHigh: interval?.high ?? null,
      };
    });
  }
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function ratio(counts: { hits: number; total: number }): Ratio {
  return { hits: counts.hits, total: counts.total, ratio: counts.total === 0 ? null : counts.hits / counts.total };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedObject(map: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...map.entries()].sort(([a], [b]) => compare(a, b)));
}
