/**
 * The shape every benchmark module returns, so `npm run bench` can print one table per section
 * and write all results as machine-readable JSON.
 */
export interface BenchSection {
  /** Section title, e.g. "ESI assembly throughput". */
  name: string;
  /** Table rows; every row has the same keys. */
  rows: Array<Record<string, string | number>>;
  /** Headline numbers (ratios, medians) with their target, for the JSON and the README. */
  summary: Record<string, number | string | boolean>;
}

export type BenchModule = { run(): Promise<BenchSection> };
