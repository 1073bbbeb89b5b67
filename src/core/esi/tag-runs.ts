/**
 * Runs of elements that leave no trace (a hostile template's thousands of includes), taken many
 * per native match. Inside the Wasm guest a RegExp match costs ~2 µs of interpreted glue whatever
 * it matches (`exec`, and `replace`/`split` with a RegExp, are self-hosted JavaScript looping per
 * match), so one expression that matches `RUN` elements back to back, each with the text before
 * it, pays that once per `RUN` elements; the text between them is joined and encoded natively.
 * Two kinds of run, both only at the page's root outside an ESI comment (the tokenizer checks):
 * - past the element cap, every tag is dropped (its text kept), so any complete tag will do;
 * - below it, a plain `<esi:include src="…"/>` the assembler would take without output (past
 *   the report's bound and the fetch cap) is counted and left out.
 * Anything else (another element, a bare or oversized construct, quotes holding `<` or `>`) ends
 * the run where it starts, and the ordinary scan judges it, so the output is the same either way.
 */
import { MAX_TAG_BYTES } from './esi-limits.ts';

/** Elements per match: past ~32 the match's own work dominates (measured in the guest). */
const RUN = 32;
/** Text up to the next construct: no `<esi:`, `</esi:` or `<!--esi`; `-->` outside a comment is text. */
const TEXT = String.raw`([^<]*(?:<(?!\/?esi:|!--esi)[^<]*)*)`;
/** Any complete tag, as the ordinary scan would end it when no quote holds `<` or `>`. */
const ANY_TAG = String.raw`(?:<esi:[^<>"']*(?:(?:"[^<>"]*"|'[^<>']*')[^<>"']*)*>|<\/esi:[^<>]*>)`;
/** The plain include: `src` alone, its value ASCII without an entity (taken as written). */
const INCLUDE = String.raw`<esi:include src="([^"<>&\u0080-\uffff]*)"\/>`;
const INCLUDE_LENGTH = '<esi:include src=""/>'.length;

const repeated = (unit: string, times: number): RegExp => new RegExp(unit.repeat(times), 'y');
const DROP_RUN = repeated(TEXT + ANY_TAG, RUN);
const DROP_ONE = repeated(TEXT + `(${ANY_TAG})`, 1);
const INCLUDE_RUN = repeated(TEXT + INCLUDE, RUN);
const INCLUDE_ONE = repeated(TEXT + INCLUDE, 1);
const OPENING = '<esi:';
const ascii = new TextEncoder();

/** What a run took: where the ordinary scan goes on, and the text it kept (bytes, or ranges of the chunk). */
export interface Run {
  end: number;
  /** The kept text when it was all ASCII (one unit per byte encodes back to the same bytes); a drop run keeps only such text. */
  text: Uint8Array | null;
  /** Otherwise (an include run) the kept text as [from, to) pairs of the chunk. */
  ranges: number[];
  /** Elements taken (includes) or opening tags dropped. */
  count: number;
}

/**
 * Past the element cap: from `from` in `chars` (the chunk one unit per byte), every complete tag
 * with the text before it, as far as they go back to back.
 */
export function dropRun(chars: string, from: number): Run {
  const kept: string[] = [];
  const run: Run = { end: from, text: null, ranges: [], count: 0 };
  for (;;) {
    DROP_RUN.lastIndex = run.end;
    const match = DROP_RUN.exec(chars);
    const text = match === null ? '' : match.slice(1).join('');
    // Joined tags no longer than one tag may be: none of them is oversized.
    if (match === null || match[0].length - text.length >= MAX_TAG_BYTES || !isAscii(text)) break;
    kept.push(text);
    run.count += match[0].split(OPENING).length - 1;
    run.end += match[0].length;
  }
  for (;;) {
    DROP_ONE.lastIndex = run.end;
    const match = DROP_ONE.exec(chars);
    if (match === null || match[2]!.length >= MAX_TAG_BYTES || !isAscii(match[1]!)) break;
    keep(run, kept, match[1]!);
    if (match[2]!.charCodeAt(1) !== 0x2f) run.count++;
    run.end += match[2]!.length;
  }
  return finish(run, kept);
}

/**
 * Below the cap: plain includes from `from` while `takes(src)` says one leaves no trace and fewer
 * than `room` have been taken.
 */
export function includeRun(chars: string, from: number, room: number, takes: (src: string) => boolean): Run {
  const kept: string[] = [];
  const run: Run = { end: from, text: null, ranges: [], count: 0 };
  let many = true;
  while (run.count < room) {
    const pattern = many ? INCLUDE_RUN : INCLUDE_ONE;
    pattern.lastIndex = run.end;
    const match = pattern.exec(chars);
    if (match === null) {
      if (!many) break;
      many = false;
      continue;
    }
    for (let i = 1; i < match.length; i += 2) {
      const src = match[i + 1]!;
      keep(run, kept, match[i]!);
      if (run.count >= room || src.length + INCLUDE_LENGTH >= MAX_TAG_BYTES || !takes(src)) return finish(run, kept);
      run.count++;
      run.end += src.length + INCLUDE_LENGTH;
    }
  }
  return finish(run, kept);
}

/** Text from `run.end` on, kept. */
function keep(run: Run, kept: string[], text: string): void {
  if (text.length === 0) return;
  kept.push(text);
  run.ranges.push(run.end, run.end + text.length);
  run.end += text.length;
}

function finish(run: Run, kept: string[]): Run {
  if (kept.length === 0) return run;
  const text = kept.length === 1 ? kept[0]! : kept.join('');
  const bytes = ascii.encode(text);
  // Any unit past ASCII encodes to more than one byte: then the chunk's own bytes are kept.
  if (bytes.length === text.length) run.text = bytes;
  return run;
}

function isAscii(text: string): boolean {
  return ascii.encode(text).length === text.length;
}
