/**
 * What a beacon is attributed to: the page it came from, as that page's signed decision token says,
 * never a decision recomputed here without the profile. A valid token gives the page's segment and
 * its exposed variants, kept only for experiments this visitor is enrolled in (an id, the token's
 * segment targeted, inside the rollout, and the same variant: a stored page copy is shared by
 * enrolled and unenrolled visitors alike). `shaped` lists the experiments whose variable shaped
 * the beacon's slot: the only experiments a click there may count toward. Anything else (no
 * token, forged, expired, another site's key) is `attribution: "none"` with no variants.
 */
import type { HmacKey } from '../ports.ts';
import type { ExperimentConfig } from '../config/experiments.ts';
import { assignVariant, isEnrolled } from '../decision/experiment-assignment.ts';
import { verifyDecision } from './decision-token.ts';

export type BeaconAttribution =
  | { attribution: 'token'; segment: string; variants: Record<string, string>; exposed: string[]; shaped: string[]; preview: boolean }
  | { attribution: 'none'; segment: null; variants: Record<string, string>; exposed: string[]; shaped: string[]; preview: false };

const NONE: BeaconAttribution = Object.freeze({ attribution: 'none', segment: null, variants: {}, exposed: [], shaped: [], preview: false });

export interface AttributionInput {
  key: HmacKey | null;
  token: string | null;
  nowMs: number;
  slot: string;
  /** The visitor's id from a valid `vid`, only with consent. */
  visitorId: string | null;
  experiments: ExperimentConfig;
}

export async function attributeBeacon(input: AttributionInput): Promise<BeaconAttribution> {
  if (input.key === null || input.token === null) return { ...NONE };
  const decision = await verifyDecision(input.key, input.token, input.nowMs);
  if (decision === null) return { ...NONE };
  const variants: Record<string, string> = {};
  const shaped: string[] = [];
  for (const [id, { variant, slots }] of Object.entries(decision.exposed)) {
    const experiment = input.experiments.find((e) => e.id === id);
    const enrolled = experiment !== undefined && isEnrolled(experiment, input.visitorId, decision.segment)
      && assignVariant(experiment, input.visitorId, decision.segment) === variant;
    if (!enrolled && !decision.preview) continue;
    variants[id] = variant;
    if (slots.includes(input.slot)) shaped.push(id);
  }
  return { attribution: 'token', segment: decision.segment, variants, exposed: Object.keys(decision.exposed), shaped, preview: decision.preview };
}
