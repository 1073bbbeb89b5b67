/**
 * The experiment side of assembling one page: tracks which rendered parts read which experiment's
 * variable, signs the page's `$(DECISION)` token once the rest of the page has settled, and says
 * what the decision event logs (exposure, token). A QA preview exposes nothing.
 */
import type { VisitorPlan } from './visitor-plan.ts';
import type { DecisionPlan } from './decision-plan.ts';
import type { ProcessEsiOptions } from '../esi/esi-processor.ts';
import { ExposureTracker, type Exposure } from '../experiments/exposure.ts';
import { signPageDecision } from '../experiments/decision-token.ts';

export interface PageExperiments {
  esiOptions: Pick<ProcessEsiOptions, 'exposure' | 'decisionToken' | 'decisionSoon'>;
  /** What the event (and a stored copy) records, given the token the page carried. */
  outcome(decision: string | null): { exposed: string[]; decision: string | null };
}

export function pageExperiments(visitor: VisitorPlan, plan: DecisionPlan): PageExperiments {
  const tracker = new ExposureTracker();
  const variants = plan.decision.variants;
  // Worked out once: the token is asked for only after every other part at the root has settled,
  // and the event after the whole page has, so no read or try outcome changes in between.
  let worked: Exposure | undefined;
  const exposure = (): Exposure => (worked ??= tracker.exposure((experiment) => Object.hasOwn(variants, experiment)));
  const key = visitor.previewKey;
  // What the page rendered, then its signature: written in the order it runs.
  const decisionToken = (done: (token: string | null) => void): void => {
    const page = { segment: plan.decision.segment, variants, exposure: exposure(), templatePath: visitor.url.path, nowMs: Date.now(), preview: plan.preview };
    signPageDecision(key, page, done);
  };
  return {
    // The key's secret read and import overlap the fragments' fetches, not the page's tail.
    esiOptions: { exposure: tracker, decisionToken, decisionSoon: () => key.prepare?.() },
    outcome: (decision) => ({ exposed: plan.preview ? [] : Object.keys(exposure()), decision }),
  };
}
