/**
 * The decision for one page view: one segment from the closed configured set, and a variant for
 * every configured experiment (`control` unless assigned). Pure and synchronous.
 */
import type { ExperimentConfig } from '../config/experiments.ts';
import type { SegmentConfig } from '../config/segments.ts';
import type { Profile } from '../profile/profile.ts';
import type { VisitorFacts } from '../visitor/visitor-facts.ts';
import { consentedId, sessionCategories } from '../visitor/identity.ts';
import { matchSegment } from './segment-match.ts';
import { bucketVariant, isEnrolled } from './experiment-assignment.ts';

export interface Decision {
  segment: string;
  /** The variant every experiment renders with (`control` when not enrolled). */
  variants: Readonly<Record<string, string>>;
  /** Only the experiments the visitor is enrolled in: what analytics may count. */
  enrolled: Readonly<Record<string, string>>;
}

export function decide(
  visitor: VisitorFacts,
  profile: Profile | null,
  config: { segments: SegmentConfig; experiments: ExperimentConfig },
): Decision {
  const { identity } = visitor;
  // Without consent the profile is never used, even if a caller passes one.
  // Written out, not a spread: in the Wasm guest a spread runs self-hosted (interpreted) code.
  const facts = { device: visitor.device, geo: visitor.geo, locale: visitor.locale, session: { categories: sessionCategories(identity) } };
  const segment = matchSegment(config.segments, facts, identity.consent === 'granted' ? profile : null);
  const visitorId = consentedId(identity);
  if (visitorId === null) return { segment, variants: controlsOf(config.experiments), enrolled: NOBODY };
  const variants: Record<string, string> = {};
  const enrolled: Record<string, string> = {};
  const { experiments } = config;
  // An indexed loop: in the Wasm guest `for…of` runs the engine's self-hosted iterator, interpreted.
  for (let i = 0; i < experiments.length; i++) {
    const experiment = experiments[i]!;
    if (isEnrolled(experiment, visitorId, segment)) {
      const variant = bucketVariant(experiment, visitorId);
      variants[experiment.id] = variant;
      enrolled[experiment.id] = variant;
    } else {
      variants[experiment.id] = experiment.control;
    }
  }
  return { segment, variants: Object.freeze(variants), enrolled: Object.freeze(enrolled) };
}

const NOBODY: Readonly<Record<string, string>> = Object.freeze({});

/**
 * Without an id nobody is enrolled and every experiment renders its control: one frozen record per
 * experiments document, remembered, so the pages of visitors without consent (most of them) build
 * no record with computed keys and freeze nothing (inside the Wasm guest ~10–20 µs on a fresh
 * instance's first run). The build-time warm-up decides with the shipped documents, so the snapshot
 * already holds it; any other document is worked out on its first page.
 */
function controlsOf(experiments: ExperimentConfig): Readonly<Record<string, string>> {
  if (experiments === lastExperiments) return lastControls;
  const controls: Record<string, string> = {};
  for (let i = 0; i < experiments.length; i++) controls[experiments[i]!.id] = experiments[i]!.control;
  lastControls = Object.freeze(controls);
  lastExperiments = experiments;
  return lastControls;
}

let lastExperiments: ExperimentConfig | null = null;
let lastControls: Readonly<Record<string, string>> = NOBODY;
