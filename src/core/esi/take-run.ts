/**
 * Which run the tokenizer takes after an element that left no trace (tag-runs.ts describes runs):
 * past the element cap every tag is dropped (counted in `dropped`); below it, includes the
 * assembler skips at the root are counted as processed, up to the cap.
 */
import type { ElementCount } from './pending-tag.ts';
import { dropRun, type Run } from './tag-runs.ts';
import { includeRun } from './include-run.ts';

/**
 * The run from `from` in `chars` (the chunk one unit per byte, at the page's root outside a
 * comment), its elements counted in `count`; null when it took nothing.
 */
export function takeRun(count: ElementCount, chars: string, from: number, skips: ((srcs: readonly string[]) => boolean) | undefined): Run | null {
  const overCap = count.elements >= count.max;
  if (!overCap && skips === undefined) return null;
  const run = overCap ? dropRun(chars, from) : includeRun(chars, from, count.max - count.elements, skips!);
  if (run.end === from) return null;
  if (overCap) count.dropped += run.count;
  else count.elements += run.count;
  return run;
}
