/**
 * The upper bound on assembled-page copies per normalized URL (DESIGN §5.6): every key dimension
 * comes from a closed set, so the bound is the product of the set sizes:
 *
 *   total = |segments| × Π over experiments of |reachable variants| × |locales| × |device classes| × |consent states| × |geo regions|
 *
 * An experiment's reachable variants are `control` (always: visitors without consent or outside
 * rollout or targeting get it) plus every variant with a positive weight, when its rollout is
 * above 0 and it targets at least one configured segment (or all); otherwise only `control`.
 * It is an upper bound: not every combination occurs (e.g. without consent all variants are
 * `control`), but no key can fall outside it.
 */
import type { Settings } from '../config/settings.ts';
import type { SegmentConfig } from '../config/segments.ts';
import type { ExperimentConfig, Experiment } from '../config/experiments.ts';
import { DEVICE_CLASSES } from '../context/device-class.ts';
import { CONSENT_STATES } from '../context/consent.ts';
import { GEO_REGIONS } from '../context/geo-region.ts';

export interface Cardinality {
  total: number;
  factors: Record<string, number>;
}

export function maxCopiesPerUrl(settings: Settings, segments: SegmentConfig, experiments: ExperimentConfig): Cardinality {
  const factors: Record<string, number> = { segments: segments.segments.length };
  for (const experiment of experiments) factors[`experiment:${experiment.id}`] = reachableVariants(experiment, segments);
  factors.locales = settings.locales.length;
  factors.devices = DEVICE_CLASSES.length;
  factors.consent = CONSENT_STATES.length;
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
