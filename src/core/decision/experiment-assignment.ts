/**
 * Deterministic, sticky experiment assignment (docs/contracts.md#configuration): the variant is a weighted bucket of
 * hash(expId + '\0' + visitorId); rollout uses a separately salted hash, so changing the rollout
 * only moves visitors between "in" and `control` and never reshuffles variants among those in.
 */
import type { Experiment } from '../config/experiments.ts';
import { unitIntervalAfter } from './visitor-hash.ts';

const ROLLOUT_SALT = 'rollout\0';

/**
 * Enrolled: an id (consent and a key), a targeted segment, and inside the rollout. A visitor who is
 * not enrolled sees `control` but is not part of the experiment's sample.
 */
export function isEnrolled(experiment: Experiment, visitorId: string | null, segment: string): visitorId is string {
  if (visitorId === null || experiment.rollout <= 0) return false;
  if (experiment.segments.length > 0 && !experiment.segments.includes(segment)) return false;
  return experiment.rollout >= 100 || unitIntervalAfter(`${ROLLOUT_SALT}${experiment.id}\0`, visitorId) * 100 < experiment.rollout;
}

/** `control` unless enrolled; otherwise the variant whose cumulative weight range holds the visitor's bucket. */
export function assignVariant(experiment: Experiment, visitorId: string | null, segment: string): string {
  return isEnrolled(experiment, visitorId, segment) ? bucketVariant(experiment, visitorId) : experiment.control;
}

/** The variant whose cumulative weight range holds an enrolled visitor's bucket. */
export function bucketVariant(experiment: Experiment, visitorId: string): string {
  // Indexed loops: in the Wasm guest `for…of` runs the engine's self-hosted iterator, interpreted.
  const { variants } = experiment;
  let total = 0;
  for (let i = 0; i < variants.length; i++) total += variants[i]!.weight;
  let point = unitIntervalAfter(`${experiment.id}\0`, visitorId) * total;
  for (let i = 0; i < variants.length; i++) {
    const variant = variants[i]!;
    if (point < variant.weight) return variant.id;
    point -= variant.weight;
  }
  return experiment.control;
}
