/**
 * Sample-ratio mismatch: a chi-square goodness-of-fit test of the enrolled visitors per variant
 * against the configured weights. A mismatch means assignment or logging is broken (a variant
 * that errors, a bot filter, a cache serving one arm), so no lift read from that experiment can be
 * trusted. The threshold is strict (p < 0.001), as usual for SRM, because the check runs on every
 * refresh and a looser one would cry wolf on healthy experiments.
 */
import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';

export const SRM_P_THRESHOLD = 0.001;

export interface SrmResult {
  chiSquare: number | null;
  degreesOfFreedom: number;
  pValue: number | null;
  mismatch: boolean;
}

export interface Arm {
  observed: number;
  weight: number;
}

export function srmCheck(arms: readonly Arm[], threshold = SRM_P_THRESHOLD): SrmResult {
  const live = arms.filter((a) => a.weight > 0);
  const total = arms.reduce((sum, a) => sum + a.observed, 0);
  const weights = live.reduce((sum, a) => sum + a.weight, 0);
  const degreesOfFreedom = Math.max(0, live.length - 1);
  // A visitor in a variant weighted 0 cannot happen by chance: that alone is a mismatch.
  const impossible = arms.some((a) => a.weight <= 0 && a.observed > 0);
  if (total === 0 || degreesOfFreedom === 0) return { chiSquare: null, degreesOfFreedom, pValue: impossible ? 0 : null, mismatch: impossible };
  let chiSquare = 0;
  for (const arm of live) {
    const expected = (total * arm.weight) / weights;
    chiSquare += (arm.observed - expected) ** 2 / expected;
  }
  const pValue = impossible ? 0 : Math.max(0, 1 - chisquareCdf(chiSquare, degreesOfFreedom));
  return { chiSquare, degreesOfFreedom, pValue, mismatch: pValue < threshold };
}
