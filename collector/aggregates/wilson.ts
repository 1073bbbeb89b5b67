/**
 * The Wilson score interval for a binomial proportion (Wilson 1927): unlike the normal
 * approximation it stays inside [0, 1] and behaves at small counts, which is what a live
 * experiment readout has for most of its life. z = 1.96 gives 95% confidence.
 */

export interface Interval {
  low: number;
  high: number;
}

export const Z_95 = 1.959963984540054;

export function wilsonInterval(successes: number, trials: number, z = Z_95): Interval | null {
  if (trials <= 0) return null;
  const k = Math.min(Math.max(successes, 0), trials);
  const p = k / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = p + z2 / (2 * trials);
  const margin = z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return { low: Math.max(0, (centre - margin) / denominator), high: Math.min(1, (centre + margin) / denominator) };
}
