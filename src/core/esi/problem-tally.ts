/**
 * The problems of one page, counted by kind and reported as one line when the page is done: a
 * malformed template (a 500-deep nesting, thousands of stray closers) must not print a line per
 * element. Kinds are fixed messages; past `MAX_KINDS` distinct ones the rest count as "other".
 */

const MAX_KINDS = 16;
const OTHER = 'other problems';

export class ProblemTally {
  private readonly counts = new Map<string, number>();

  add(kind: string, count = 1): void {
    if (count <= 0) return;
    const key = this.counts.has(kind) || this.counts.size < MAX_KINDS ? kind : OTHER;
    this.counts.set(key, (this.counts.get(key) ?? 0) + count);
  }

  get total(): number {
    let total = 0;
    for (const count of this.counts.values()) total += count;
    return total;
  }

  /** `3 problems: stray closing tag dropped ×2; unknown esi element dropped ×1`, or null when none. */
  summary(): string | null {
    if (this.counts.size === 0) return null;
    const total = this.total;
    const kinds = [...this.counts].map(([kind, count]) => `${kind} ×${count}`).join('; ');
    return `${total} problem${total === 1 ? '' : 's'}: ${kinds}`;
  }

  /** Hands the summary, if any, to `onProblem` once; a failing sink must not break the page. */
  report(onProblem: ((problem: string) => void) | undefined): void {
    const summary = this.summary();
    if (summary === null) return;
    try {
      onProblem?.(summary);
    } catch {
      // Swallowed: the page is already complete, and the problems are only a report.
    }
  }
}
