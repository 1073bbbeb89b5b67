/**
 * Includes skipped at once, without a target, an attempt or a part (a hostile template's ~1,000
 * processed includes are mostly these): past the fetch cap, an include of a plain path no other
 * include fetched (SharedFetches.skips); past the inserted-bytes cap (the budget closed), an
 * include of any plain path, whose fetch would bring nothing more than a refusal (insert-budget.ts),
 * counted as one. A plain path is never refused and reads no variable, a skipped include tries no
 * alt, and its entry (while the report has room) is the path without the query.
 *
 * Functions over the runner's parts, not an object of their own: every page made one, though only a
 * page past a cap asks it anything (on a fresh instance each object and constructor touched costs).
 */
import type { FragmentReport } from './assembly-report.ts';
import { MAX_REPORTED_INCLUDES } from './esi-limits.ts';
import type { IncludeTargets } from './include-targets.ts';
import type { InsertBudget } from './insert-budget.ts';
import type { SharedFetches } from './shared-fetches.ts';
import { plainPathOf } from './include-resolver.ts';

/** What the skips read and write: the include runner's own parts (include-runner.ts). */
export interface SkipParts {
  readonly entries: FragmentReport[];
  readonly targets: IncludeTargets;
  readonly fetches: SharedFetches;
  readonly budget: InsertBudget;
  readonly options: { now: () => number };
}

/** Whether an include of `src` (not ranked) is skipped at once, its entry written if the report has room. */
export function skipsAtOnce(parts: SkipParts, src: string, timeoutMs: number | null): boolean {
  const { budget, fetches, targets } = parts;
  if (budget.closed) {
    if (targets.plainKey(src) === null) return false;
    budget.skipped(1);
  } else if (!fetches.full || !fetches.skips(targets.plainKey(src), timeoutMs, parts.options.now())) return false;
  if (parts.entries.length < MAX_REPORTED_INCLUDES) parts.entries.push({ src: plainPathOf(src), outcome: 'skipped', ms: 0, cache: 'PASS' });
  return true;
}

/**
 * `skipsAtOnce(parts, src, null)` past the report's bound (no entry, no trace) for each of `srcs` (tag-runs.ts) with one
 * clock read and two native tests for all; a yes takes them (include-run.ts), so it counts them past the inserted-bytes cap.
 */
export function skipsAllUnreported(parts: SkipParts, srcs: readonly string[]): boolean {
  const { budget, fetches } = parts;
  if (parts.entries.length < MAX_REPORTED_INCLUDES || !(fetches.full || budget.closed)) return false;
  // One string of lines for both tests (a src never holds a line break: include-run.ts).
  const lines = srcs.join('\n') + '\n';
  const prefix = parts.targets.plainKeyPrefix(lines);
  if (prefix === null || !budget.closed) return prefix !== null && fetches.skipsAll(prefix, lines, parts.options.now());
  budget.skipped(srcs.length);
  return true;
}
