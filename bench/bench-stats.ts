/**
 * Spread and goal marks shared by the benchmark sections: each figure is min / median / max over
 * rounds, and a goal is either a budget (lower is better) or a floor (higher is better).
 */
export interface Spread {
  min: number;
  median: number;
  max: number;
}

export function spread(samples: readonly number[]): Spread {
  const sorted = [...samples].sort((a, b) => a - b);
  return { min: sorted[0] ?? NaN, median: sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN, max: sorted[sorted.length - 1] ?? NaN };
}

export type Goal = { atMost: number } | { below: number } | { atLeast: number };

export function goalText(goal: Goal | null, unit: string): string {
  if (goal === null) return '';
  if ('atMost' in goal) return `≤ ${goal.atMost} ${unit}`;
  if ('below' in goal) return `< ${goal.below} ${unit}`;
  return `≥ ${goal.atLeast} ${unit}`;
}

/** Whether the median meets the goal. */
export function goalMet(goal: Goal, value: number): boolean {
  if ('atMost' in goal) return value <= goal.atMost;
  if ('below' in goal) return value < goal.below;
  return value >= goal.atLeast;
}

export function mark(goal: Goal | null, value: number): string {
  if (goal === null) return '';
  return goalMet(goal, value) ? 'met' : 'MISSED';
}

/** Three significant digits, so µs and MB/s columns stay readable. */
export function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : Number(value.toPrecision(3)).toString();
}

export const spreadText = (s: Spread): string => `${fmt(s.min)} / ${fmt(s.median)} / ${fmt(s.max)}`;

/** The p-th percentile of ascending `sorted` (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
