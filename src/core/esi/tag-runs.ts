/**
 * Runs of elements that leave no trace (a hostile template's thousands of includes), taken many
 * per native match. Inside the Wasm guest a RegExp match costs ~2 µs of interpreted glue whatever
 * it matches (`exec`, and `replace`/`split` with a RegExp, are self-hosted JavaScript looping per
 * match), so one expression that matches `RUN` elements back to back, each with the text before
 * it, pays that once per `RUN` elements; the text between them is kept natively (run-text.ts:
 * joined and encoded while ASCII, else as ranges of the chunk's bytes).
 * Two kinds of run, both only at the page's root outside an ESI comment (the tokenizer checks):
 * - past the element cap, every tag is dropped (its text kept), so any complete tag will do;
 * - below it, an `<esi:include src="…"/>` (or `src='…'`) the assembler would take without output
 *   (past the report's bound and the fetch cap) is counted and left out.
 * Anything else (another element, a bare or oversized construct, quotes holding `<` or `>`) ends
 * the run where it starts, and the ordinary scan judges it, so the output is the same either way.
 * Measured in the guest, 10,000 includes: ~80 → ~25 ms; with text that is not ASCII between them
 * ~42 s (each element ran the rest of the chunk, failed the ASCII check, then went alone) → ~35 ms;
 * with `src` in single quotes ~65 → ~25 ms.
 */
import { MAX_TAG_BYTES } from './esi-limits.ts';
import { RUN, RunText, TEXT, repeated, textRanges, type Run } from './run-text.ts';
import type { ElementCount } from './pending-tag.ts';
import type { ChunkCursor } from './chunk-cursor.ts';
import { includeRun } from './include-run.ts';

/**
 * Any complete tag, as the ordinary scan would end it when no quote holds `<` or `>`. The regex
 * interpreter's cost goes with the nodes it enters more than the characters it reads: the quotes
 * double a tag's cost (`<esi:[^<>]*>` measured half, but an unbalanced quote would fool it).
 */
const ANY_TAG = String.raw`(?:<esi:[^<>"']*(?:(?:"[^<>"]*"|'[^<>']*')[^<>"']*)*>|<\/esi:[^<>]*>)`;

/** The text of each element captured; with its tag too (`SPANS`), for text kept as ranges. */
const DROP_RUN = repeated(TEXT + ANY_TAG, RUN);
const DROP_SPANS = repeated(TEXT + `(${ANY_TAG})`, RUN);
const DROP_ONE = repeated(TEXT + `(${ANY_TAG})`, 1);
const CLOSER = '</esi:';
const SLASH = 0x2f;

/**
 * Past the element cap: from `from` in `chars` (the chunk one unit per byte), every complete tag
 * with the text before it, as far as they go back to back.
 */
export function dropRun(chars: string, from: number): Run {
  const run: Run = { end: from, text: null, ranges: null, count: 0 };
  const texts = new RunText(from);
  for (;;) {
    const whole = texts.spans ? DROP_SPANS : DROP_RUN;
    whole.lastIndex = run.end;
    const match = whole.exec(chars);
    const mark = texts.ranges.length;
    const text = match === null || texts.spans ? null : match.slice(1).join('');
    const textLength = match === null ? 0 : (text?.length ?? textRanges(match, 2, run.end, texts.ranges));
    // Joined tags no longer than one tag may be: none of them is oversized.
    if (match === null || match[0].length - textLength >= MAX_TAG_BYTES) {
      texts.ranges.length = mark;
      // Texts since the last check that are not ASCII: taken again from there as ranges.
      if (texts.check(run)) break;
      continue;
    }
    run.count += RUN - closers(match[0]);
    run.end += match[0].length;
    if (text !== null) texts.keep(text, run);
  }
  for (;;) {
    DROP_ONE.lastIndex = run.end;
    const match = DROP_ONE.exec(chars);
    if (match === null || match[2]!.length >= MAX_TAG_BYTES) break;
    texts.one(match[1]!, run.end);
    if (match[2]!.charCodeAt(1) !== SLASH) run.count++;
    run.end += match[0].length;
  }
  return texts.into(run);
}

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

/** Closing tags among a run's tags: usually none, found with one native search. */
function closers(tags: string): number {
  let count = 0;
  for (let at = tags.indexOf(CLOSER); at !== -1; at = tags.indexOf(CLOSER, at + CLOSER.length)) count++;
  return count;
}

/**
 * Runs each expression once at module load: inside the guest that is build time (the Wizer
 * snapshot keeps their compiled code), while a RegExp's first run inside a request costs ~0.5 ms.
 */
function warm(): void {
  // A RegExp is compiled apart for one-byte and two-byte strings: ASCII, Latin-1, and a chunk
  // with a byte 0x80–0x9F (the `latin1` decoder maps those above U+00FF).
  for (const text of ['x', '\u00e9', '\u201a']) dropRun(`<p>${text}</p><esi:include src="/a"/>`.repeat(RUN + 1), 0);
}
warm();
