/**
 * The `GET /api/experiments` document: per experiment an SRM check, and per variant its counts,
 * per-exposed-visitor rates with Wilson 95% intervals, and (except for control) the lift against
 * control with its 95% interval and p-value, for three metrics: click-through (a click in a slot
 * the experiment shapes), add-to-cart and purchase.
 */
import { liftAgainstControl, rateOf, type Lift, type Rate } from './proportion-stats.ts';
import { srmCheck, SRM_P_THRESHOLD, type SrmResult } from './srm-check.ts';
import type { ExperimentCounts, VariantCounts } from './visitor-ledger.ts';

export const METRICS = ['clickThrough', 'addToCart', 'purchase'] as const;
export type Metric = (typeof METRICS)[number];

const SUCCESSES: Record<Metric, (v: VariantCounts) => number> = {
  clickThrough: (v) => v.clickers,
  addToCart: (v) => v.carters,
  purchase: (v) => v.purchasers,
};

export interface MetricResult extends Rate {
  /** null for the control variant itself. */
  lift: Lift | null;
}

export interface VariantResult {
  id: string;
  weight: number;
  enrolled: number;
  exposed: number;
  clicks: number;
  addToCart: number;
  purchases: number;
  value: number;
  metrics: Record<Metric, MetricResult>;
}

export interface ExperimentResult {
  id: string;
  control: string;
  slots: readonly string[];
  srm: SrmResult;
  mixedVisitors: number;
  truncated: boolean;
  variants: VariantResult[];
}

export interface ExperimentsDocument {
  srmThreshold: number;
  confidence: number;
  experiments: ExperimentResult[];
}

export function experimentsDocument(counts: readonly ExperimentCounts[]): ExperimentsDocument {
  return { srmThreshold: SRM_P_THRESHOLD, confidence: 0.95, experiments: counts.map(experimentResult) };
}

function experimentResult({ spec, variants, mixedVisitors, truncated }: ExperimentCounts): ExperimentResult {
  const weights = new Map(spec.variants.map((v) => [v.id, v.weight]));
  const control = variants.find((v) => v.id === spec.control);
  return {
    id: spec.id,
    control: spec.control,
    slots: spec.slots,
    srm: srmCheck(variants.map((v) => ({ observed: v.enrolled, weight: weights.get(v.id) ?? 0 }))),
    mixedVisitors,
    truncated,
    variants: variants.map((v) => ({
      id: v.id,
      weight: weights.get(v.id) ?? 0,
      enrolled: v.enrolled,
      exposed: v.exposed,
      clicks: v.clicks,
      addToCart: v.addToCart,
      purchases: v.purchases,
      value: Math.round(v.value * 100) / 100,
      metrics: metricResults(v, v.id === spec.control ? undefined : control),
    })),
  };
}

function metricResults(variant: VariantCounts, control: VariantCounts | undefined): Record<Metric, MetricResult> {
  const entry = (metric: Metric): [Metric, MetricResult] => {
    const x = SUCCESSES[metric](variant);
    const lift = control ? liftAgainstControl(x, variant.exposed, SUCCESSES[metric](control), control.exposed) : null;
    return [metric, { ...rateOf(x, variant.exposed), lift }];
  };
  return Object.fromEntries(METRICS.map(entry)) as Record<Metric, MetricResult>;
}
