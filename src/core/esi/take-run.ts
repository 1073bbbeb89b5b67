/**
 * Which run the tokenizer takes after an element that left no trace (tag-runs.ts describes runs):
 * past the element cap every tag is dropped (counted in `dropped`); below it, includes the
 * assembler skips at the root are counted as processed, up to the cap.
 */
import type { ElementCount } from './pending-tag.ts';
import type { ChunkCursor } from './chunk-cursor.ts';
import { dropRun } from './tag-runs.ts';
import { includeRun } from './include-run.ts';

/**
 * The run from `from` in `chars` (the chunk one unit per byte, at the page's root outside a
 * comment), its elements counted in `count` and its text given to `cursor`; returns where the
 * ordinary scan goes on (`from` when the run took nothing).
 */
export function takeRun(count: ElementCount, cursor: ChunkCursor, chars: string, from: number, skips: ((srcs: readonly string[]) => boolean) | undefined): number {
  const overCap = count.elements >= count.max;
  if (!overCap && skips === undefined) return from;
  const run = overCap ? dropRun(chars, from) : includeRun(chars, from, count.max - count.elements, skips!);
  if (run.end === from) return from;
  if (overCap) count.dropped += run.count;
  else count.elements += run.count;
  if (run.text !== null) cursor.bytes(run.text);
  if (run.ranges !== null) cursor.addRanges(run.ranges);
  return run.end;
}
