/**
 * Per-visitor proportions and their comparison against control. Rates carry the Wilson score
 * interval (honest at small counts). Lift is relative, pT / pC - 1, with the Katz log interval of
 * the risk ratio (Katz et al. 1978): log(pT / pC) ± z·sqrt((1 - pT)/xT + (1 - pC)/xC). The p-value
 * is the two-sided pooled two-proportion z-test, the same test a textbook or a BigQuery notebook
 * would run, so the warehouse SQL can reproduce it.
 */
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { wilsonInterval, Z_95 } from '../aggregates/wilson.ts';

export interface Rate {
  /** Exposed visitors who did it at least once. */
  visitors: number;
  rate: number | null;
  low: number | null;
  high: number | null;
}

export interface Lift {
  /** pT / pC - 1: +0.3 reads "30% more than control". */
  relative: number | null;
  low: number | null;
  high: number | null;
  pValue: number | null;
}

export function rateOf(successes: number, trials: number): Rate {
  const interval = wilsonInterval(successes, trials);
  return { visitors: successes, rate: trials > 0 ? successes / trials : null, low: interval?.low ?? null, high: interval?.high ?? null };
}

/** Two-sided p-value of a standard normal statistic; computed from the lower tail so tiny p keep precision. */
export function twoSidedNormalP(z: number): number {
  return Math.min(1, 2 * normalCdf(-Math.abs(z), 0, 1));
}

export function liftAgainstControl(xT: number, nT: number, xC: number, nC: number): Lift {
  if (nT <= 0 || nC <= 0) return { relative: null, low: null, high: null, pValue: null };
  const pT = xT / nT;
  const pC = xC / nC;
  const pooled = (xT + xC) / (nT + nC);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / nT + 1 / nC));
  // Both arms at 0% (or both at 100%): no evidence of any difference.
  const pValue = se > 0 ? twoSidedNormalP((pT - pC) / se) : 1;
  if (xC === 0) return { relative: null, low: null, high: null, pValue };
  const relative = pT / pC - 1;
  if (xT === 0) return { relative, low: null, high: null, pValue };
  const margin = Z_95 * Math.sqrt((1 - pT) / xT + (1 - pC) / xC);
  const logRatio = Math.log(pT / pC);
  return { relative, low: Math.exp(logRatio - margin) - 1, high: Math.exp(logRatio + margin) - 1, pValue };
}
