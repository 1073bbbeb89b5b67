/**
 * Deterministic, sticky experiment assignment (docs/contracts.md#configuration): the variant is a weighted bucket of
 * hash(expId + '\0' + visitorId); rollout uses a separately salted hash, so changing the rollout
 * only moves visitors between "in" and `control` and never reshuffles variants among those in.
 */
import type { Experiment } from '../config/experiments.ts';
import { unitInterval } from './visitor-hash.ts';

const ROLLOUT_SALT = 'rollout\0';

/**
 * `control` without an id (no consent, no key), outside the targeted segments, or outside the
 * rollout; otherwise the variant whose cumulative weight range holds the visitor's bucket.
 */
export function assignVariant(experiment: Experiment, visitorId: string | null, segment: string): string {
  if (visitorId === null || experiment.rollout <= 0) return experiment.control;
  if (experiment.segments.length > 0 && !experiment.segments.includes(segment)) return experiment.control;
  const seed = `${experiment.id}\0${visitorId}`;
  if (experiment.rollout < 100 && unitInterval(ROLLOUT_SALT + seed) * 100 >= experiment.rollout) return experiment.control;
  let total = 0;
  for (const variant of experiment.variants) total += variant.weight;
  let point = unitInterval(seed) * total;
  for (const variant of experiment.variants) {
    if (point < variant.weight) return variant.id;
    point -= variant.weight;
  }
  return experiment.control;
}
