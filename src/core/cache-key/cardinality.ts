/**
 * The upper bound on assembled-page copies per normalized URL (docs/contracts.md#caching-and-keys). A page is keyed on
 * the URL, the locale and the values of the ESI variables it reads (page-variation.ts), each from a
 * closed set, so the bound is the product of the set sizes of everything a template can read:
 *
 *   total = |locales| × |segments| × Π over experiments of |reachable variants| × |device classes| × |geo regions|
 *
 * A template that reads fewer variables has fewer copies (the product over what it reads). Not in
 * the bound: `$(GEO{country})` (a template reading it multiplies its copies by the countries seen,
 * up to ~250), `$(VISITOR)` (a page that reads a visitor's id is never stored) and
 * `$(QUERY_STRING{…})` (already part of the URL). Consent is no key part: it changes a page only
 * through the variants and `$(VISITOR)`, which are.
 *
 * An experiment's reachable variants are `control` (always: visitors without consent or outside
 * rollout or targeting get it) plus every variant with a positive weight, when its rollout is
 * above 0 and it targets at least one configured segment (or all); otherwise only `control`.
 */
import type { Settings } from '../config/settings.ts';
import type { SegmentConfig } from '../config/segments.ts';
import type { ExperimentConfig, Experiment } from '../config/experiments.ts';
import { DEVICE_CLASSES } from '../visitor/device-class.ts';
import { GEO_REGIONS } from '../visitor/geo-region.ts';

export interface Cardinality {
  total: number;
  factors: Record<string, number>;
}

export function maxCopiesPerUrl(settings: Settings, segments: SegmentConfig, experiments: ExperimentConfig): Cardinality {
  const factors: Record<string, number> = { locales: settings.locales.length, segments: segments.segments.length };
  for (const experiment of experiments) factors[`experiment:${experiment.id}`] = reachableVariants(experiment, segments);
  factors.devices = DEVICE_CLASSES.length;
  factors.regions = GEO_REGIONS.length;
  const total = Object.values(factors).reduce((product, factor) => product * factor, 1);
  return { total, factors };
}

function reachableVariants(experiment: Experiment, segments: SegmentConfig): number {
  const targeted = experiment.segments.length === 0 || experiment.segments.some((s) => segments.segments.includes(s));
  if (experiment.rollout <= 0 || !targeted) return 1;
  const reachable = new Set([experiment.control]);
  for (const variant of experiment.variants) if (variant.weight > 0) reachable.add(variant.id);
  return reachable.size;
}
