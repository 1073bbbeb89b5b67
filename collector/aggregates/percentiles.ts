/**
 * Latency samples with nearest-rank percentiles (the p-th percentile is the value at rank
 * ceil(p/100 × n) of the sorted samples), the definition warehouse/sql/latency_percentiles.sql
 * also uses, so live, offline and warehouse numbers agree. Memory is bounded: past `capacity`
 * samples the oldest are overwritten, so a long-running collector reports its recent window.
 */

export const DEFAULT_SAMPLE_CAPACITY = 100_000;

export class SampleWindow {
  private readonly values: number[] = [];
  private next = 0;
  private total = 0;

  constructor(private readonly capacity = DEFAULT_SAMPLE_CAPACITY) {}

  add(value: number): void {
    this.total++;
    if (this.values.length < this.capacity) {
      this.values.push(value);
      return;
    }
    this.values[this.next] = value;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Every sample ever added, including overwritten ones. */
  get count(): number {
    return this.total;
  }

  percentiles(ps: readonly number[]): Record<string, number | null> {
    const sorted = [...this.values].sort((a, b) => a - b);
    const out: Record<string, number | null> = {};
    for (const p of ps) out[`p${p}`] = nearestRank(sorted, p);
    return out;
  }
}

export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}
