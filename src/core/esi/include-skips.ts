/**
 * Includes skipped at once, without a target, an attempt or a part (a hostile template's ~1,000
 * processed includes are mostly these): past the fetch cap, an include of a plain path no other
 * include fetched (SharedFetches.skips); past the inserted-bytes cap (the budget closed), an
 * include of any plain path, whose fetch would bring nothing more than a refusal (insert-budget.ts),
 * counted as one. A plain path is never refused and reads no variable, a skipped include tries no
 * alt, and its entry (while the report has room) is the path without the query.
 */
import type { FragmentReport } from './assembly-report.ts';
import { MAX_REPORTED_INCLUDES } from './esi-limits.ts';
import type { IncludeTargets } from './include-targets.ts';
import type { InsertBudget } from './insert-budget.ts';
import type { SharedFetches } from './shared-fetches.ts';
import { plainPathOf } from './include-resolver.ts';

export class IncludeSkips {
  constructor(
    private readonly entries: FragmentReport[],
    private readonly targets: IncludeTargets,
    private readonly fetches: SharedFetches,
    private readonly budget: InsertBudget,
    private readonly now: () => number,
  ) {}

  /** Whether any include may be skipped at once: the fetch cap is reached or the budget closed. */
  get any(): boolean {
    return this.fetches.full || this.budget.closed;
  }

  /** Whether an include of `src` (not ranked) is skipped at once, its entry written if the report has room. */
  atOnce(src: string, timeoutMs: number | null): boolean {
    if (this.budget.closed) {
      if (this.targets.plainKey(src) === null) return false;
      this.budget.skipped(1);
    } else if (!this.fetches.full || !this.fetches.skips(this.targets.plainKey(src), timeoutMs, this.now())) return false;
    if (this.entries.length < MAX_REPORTED_INCLUDES) this.entries.push({ src: plainPathOf(src), outcome: 'skipped', ms: 0, cache: 'PASS' });
    return true;
  }

  /**
   * `atOnce(src, null)` past the report's bound (no entry, no trace) for each of `srcs` (tag-runs.ts) with one clock read
   * and two native tests for all; a yes takes them (include-run.ts), so it counts them past the inserted-bytes cap.
   */
  allUnreported(srcs: readonly string[]): boolean {
    if (this.entries.length < MAX_REPORTED_INCLUDES || !(this.fetches.full || this.budget.closed)) return false;
    // One string of lines for both tests (a src never holds a line break: include-run.ts).
    const lines = srcs.join('\n') + '\n';
    const prefix = this.targets.plainKeyPrefix(lines);
    if (prefix === null || !this.budget.closed) return prefix !== null && this.fetches.skipsAll(prefix, lines, this.now());
    this.budget.skipped(srcs.length);
    return true;
  }
}
