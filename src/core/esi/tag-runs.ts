/**
 * Runs of elements that leave no trace (a hostile template's thousands of includes), taken many
 * per native match. Inside the Wasm guest a RegExp match costs ~2 µs of interpreted glue whatever
 * it matches (`exec`, and `replace`/`split` with a RegExp, are self-hosted JavaScript looping per
 * match), so one expression that matches `RUN` elements back to back, each with the text before
 * it, pays that once per `RUN` elements; the text between them is joined and encoded natively.
 * Two kinds of run, both only at the page's root outside an ESI comment (the tokenizer checks):
 * - past the element cap, every tag is dropped (its text kept), so any complete tag will do;
 * - below it, an `<esi:include src="…"/>` the assembler would take without output (past the
 *   report's bound and the fetch cap) is counted and left out.
 * Anything else (another element, a bare or oversized construct, quotes holding `<` or `>`) ends
 * the run where it starts, and the ordinary scan judges it, so the output is the same either way.
 * Measured in the guest: a 10,000-include template ~80 → ~25 ms; with text that is not ASCII
 * between the tags ~42 s (each element ran the whole rest of the chunk, then was taken alone) → ~? ms.
 */
import { MAX_TAG_BYTES } from './esi-limits.ts';

/** Elements per match: past ~32 the match's own work dominates (measured in the guest). */
export const RUN = 32;
/** Text up to the next construct: no `<esi:`, `</esi:` or `<!--esi`; `-->` outside a comment is text. */
export const TEXT = String.raw`([^<]*(?:<(?!\/?esi:|!--esi)[^<]*)*)`;
/** Any complete tag, as the ordinary scan would end it when no quote holds `<` or `>`. */
const ANY_TAG = String.raw`(?:<esi:[^<>"']*(?:(?:"[^<>"]*"|'[^<>']*')[^<>"']*)*>|<\/esi:[^<>]*>)`;

export const repeated = (unit: string, times: number): RegExp => new RegExp(unit.repeat(times), 'y');
/** The text of each element captured; with its tag too (`SPANS`), for text kept as ranges. */
const DROP_RUN = repeated(TEXT + ANY_TAG, RUN);
const DROP_SPANS = repeated(TEXT + `(${ANY_TAG})`, RUN);
const DROP_ONE = repeated(TEXT + `(${ANY_TAG})`, 1);
const CLOSER = '</esi:';
const SLASH = 0x2f;
const encoder = new TextEncoder();

/** What a run took: where the ordinary scan goes on, the text it kept, and how many elements went. */
export interface Run {
  end: number;
  /** The kept text while it is ASCII (it encodes back to the same bytes); null when none. */
  text: Uint8Array | null;
  /** The kept text after that, from the first match whose text is not, as [from, to) pairs of the chunk; null when none. */
  ranges: number[] | null;
  /** Includes taken, or opening tags dropped. */
  count: number;
}

/**
 * A run's kept text: strings while they are ASCII (joined and encoded once at the end), then, from
 * the first match whose text is not, ranges of the chunk's bytes for good (bytes that are not ASCII
 * are kept as they are, whatever the encoding), read from the match's groups.
 */
export class RunText {
  readonly kept: string[] = [];
  readonly ranges: number[] = [];
  /** Texts are kept as ranges from here on: take matches with each tag's group (`SPANS`). */
  spans = false;

  /** Whether a match's joined texts can be kept as a string; if not, texts are ranges from now on. */
  ascii(text: string): boolean {
    if (encoder.encode(text).length === text.length) return true;
    this.spans = true;
    return false;
  }

  /** One text at `at` of the chunk. */
  one(text: string, at: number): void {
    if (!this.spans && this.ascii(text)) this.kept.push(text);
    else if (text.length > 0) this.ranges.push(at, at + text.length);
  }

  /** `run` with its text. */
  into(run: Run): Run {
    const text = this.kept.length === 1 ? this.kept[0]! : this.kept.join('');
    if (text.length > 0) run.text = encoder.encode(text);
    if (this.ranges.length > 0) run.ranges = this.ranges;
    return run;
  }
}

/**
 * Past the element cap: from `from` in `chars` (the chunk one unit per byte), every complete tag
 * with the text before it, as far as they go back to back.
 */
export function dropRun(chars: string, from: number): Run {
  const run: Run = { end: from, text: null, ranges: null, count: 0 };
  const texts = new RunText();
  for (;;) {
    const whole = texts.spans ? DROP_SPANS : DROP_RUN;
    whole.lastIndex = run.end;
    const match = whole.exec(chars);
    if (match === null) break;
    const text = texts.spans ? null : match.slice(1).join('');
    // Not ASCII: the same match again, with its tags' groups.
    if (text !== null && !texts.ascii(text)) continue;
    const mark = texts.ranges.length;
    const textLength = text?.length ?? textRanges(match, 2, run.end, texts.ranges);
    // Joined tags no longer than one tag may be: none of them is oversized.
    if (match[0].length - textLength >= MAX_TAG_BYTES) {
      texts.ranges.length = mark;
      break;
    }
    if (text !== null) texts.kept.push(text);
    run.count += RUN - closers(match[0]);
    run.end += match[0].length;
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
 * The ranges of a match's texts from `at` of the chunk, each text's group followed by its tag's
 * (`stride` groups from one text to the next); returns their total length.
 */
export function textRanges(match: RegExpExecArray, stride: number, at: number, ranges: number[]): number {
  let total = 0;
  let next = at;
  for (let i = 1; i < match.length; i += stride) {
    const text = match[i]!.length;
    if (text > 0) ranges.push(next, next + text);
    total += text;
    next += text + match[i + 1]!.length;
  }
  return total;
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
