/**
 * Which events count toward which experiment. Every rule errs on the side of not counting, since
 * a wrongly counted event biases the readout while a dropped one only widens its interval:
 * - only schema v2 (v1 beacons recomputed variants without the profile; v1 pages listed
 *   unenrolled visitors as control), never a preview, never without a visitor pseudonym;
 * - a decision enrolls the visitor in the variants it lists, and exposes them to the experiments
 *   in `exposed` (a rendered part read the variable);
 * - a beacon counts only with `attribution: "token"`, in the variant its token names;
 * - a click counts toward an experiment only in a slot the experiment shapes (`experiment_slots`)
 *   and, when the token lists the page's exposed experiments, only if the experiment is among them;
 * - add_to_cart and purchase are outcomes of the visit, not of a slot: any slot counts;
 * - impressions never count (the denominator is exposed visitors, logged by the edge).
 */
import type { DecisionRecord } from '../events/decision-event-schema.ts';
import type { ClickstreamRecord } from '../events/clickstream-event-schema.ts';
import type { ExperimentSpec } from './experiment-specs.ts';

export type Outcome = 'click' | 'add_to_cart' | 'purchase';

export function decisionCounts(event: DecisionRecord): boolean {
  return event.v === 2 && !event.preview && event.visitor !== null;
}

/** The outcome this beacon scores for the experiment, or null when it does not count. */
export function beaconOutcome(event: ClickstreamRecord, spec: ExperimentSpec): Outcome | null {
  if (event.v !== 2 || event.preview || event.visitor === null || event.attribution !== 'token') return null;
  if (event.variants[spec.id] === undefined) return null;
  if (event.type === 'add_to_cart' || event.type === 'purchase') return event.type;
  if (event.type !== 'click' || !spec.slots.includes(event.slot)) return null;
  return event.exposed === null || event.exposed.includes(spec.id) ? 'click' : null;
}
