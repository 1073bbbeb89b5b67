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
 * Anything else (another element, a bare or oversized construct, quotes holding `<` or `>`, text
 * that is not ASCII) ends the run where it starts, and the ordinary scan judges it, so the output
 * is the same either way. Measured in the guest: a 10,000-include template ~80 → ~25 ms.
 */
import { MAX_TAG_BYTES } from './esi-limits.ts';

/** Elements per match: past ~32 the match's own work dominates (measured in the guest). */
const RUN = 32;
/** Text up to the next construct: no `<esi:`, `</esi:` or `<!--esi`; `-->` outside a comment is text. */
const TEXT = String.raw`([^<]*(?:<(?!\/?esi:|!--esi)[^<]*)*)`;
/** Any complete tag, as the ordinary scan would end it when no quote holds `<` or `>`. */
const ANY_TAG = String.raw`(?:<esi:[^<>"']*(?:(?:"[^<>"]*"|'[^<>']*')[^<>"']*)*>|<\/esi:[^<>]*>)`;
/** An include of `src` alone in double quotes, its value printable ASCII without an entity (taken as written). */
const INCLUDE = String.raw`<esi:include[ \t\n\r]+src[ \t\n\r]*=[ \t\n\r]*"([^"<>&\u0000-\u001f\u0080-\uffff]*)"[ \t\n\r]*\/?>`;

const repeated = (unit: string, times: number): RegExp => new RegExp(unit.repeat(times), 'y');
const DROP_RUN = repeated(TEXT + ANY_TAG, RUN);
const DROP_ONE = repeated(TEXT + `(${ANY_TAG})`, 1);
const INCLUDE_RUN = repeated(TEXT + INCLUDE, RUN);
const INCLUDE_ONE = repeated(TEXT + INCLUDE, 1);
const CLOSER = '</esi:';
const SLASH = 0x2f;
const ascii = new TextEncoder();

/** What a run took: where the ordinary scan goes on, the text it kept, and how many elements went. */
export interface Run {
  end: number;
  /** The kept text (a run keeps only ASCII text, which encodes back to the same bytes); null when none. */
  text: Uint8Array | null;
  /** Includes taken, or opening tags dropped. */
  count: number;
}

/**
 * Past the element cap: from `from` in `chars` (the chunk one unit per byte), every complete tag
 * with the text before it, as far as they go back to back.
 */
export function dropRun(chars: string, from: number): Run {
  return dropping(chars, from, false) ?? dropping(chars, from, true)!;
}

/**
 * Below the cap: plain includes from `from`, at most `room` of them, while `takes(srcs)` says that
 * includes of these srcs leave no trace (asked once per match, then once per include where a
 * match's includes are not all taken; it must not change anything, as it may be asked twice).
 */
export function includeRun(chars: string, from: number, room: number, takes: (srcs: readonly string[]) => boolean): Run {
  return including(chars, from, room, takes, false) ?? including(chars, from, room, takes, true)!;
}

/**
 * A run's text is checked to be ASCII once, when it is encoded; only when it is not is the run
 * taken again with a check per match (`strict`), stopping before the first text that is not.
 * Null: not ASCII, and not strict.
 */
function dropping(chars: string, from: number, strict: boolean): Run | null {
  const kept: string[] = [];
  const run: Run = { end: from, text: null, count: 0 };
  for (;;) {
    DROP_RUN.lastIndex = run.end;
    const match = DROP_RUN.exec(chars);
    const text = match === null ? '' : match.slice(1).join('');
    // Joined tags no longer than one tag may be: none of them is oversized.
    if (match === null || match[0].length - text.length >= MAX_TAG_BYTES || (strict && !isAscii(text))) break;
    kept.push(text);
    run.count += RUN - closers(match[0]);
    run.end += match[0].length;
  }
  for (;;) {
    DROP_ONE.lastIndex = run.end;
    const match = DROP_ONE.exec(chars);
    if (match === null || match[2]!.length >= MAX_TAG_BYTES || (strict && !isAscii(match[1]!))) break;
    kept.push(match[1]!);
    if (match[2]!.charCodeAt(1) !== SLASH) run.count++;
    run.end += match[0].length;
  }
  return finish(run, kept);
}

function including(chars: string, from: number, room: number, takes: (srcs: readonly string[]) => boolean, strict: boolean): Run | null {
  const kept: string[] = [];
  const run: Run = { end: from, text: null, count: 0 };
  const texts: string[] = [];
  const srcs: string[] = [];
  while (run.count + RUN <= room) {
    INCLUDE_RUN.lastIndex = run.end;
    const match = INCLUDE_RUN.exec(chars);
    if (match === null) break;
    texts.length = 0;
    srcs.length = 0;
    for (let i = 1; i < match.length; i += 2) {
      texts.push(match[i]!);
      srcs.push(match[i + 1]!);
    }
    const text = texts.join('');
    if (match[0].length - text.length >= MAX_TAG_BYTES || (strict && !isAscii(text)) || !takes(srcs)) break;
    kept.push(text);
    run.count += RUN;
    run.end += match[0].length;
  }
  while (run.count < room) {
    INCLUDE_ONE.lastIndex = run.end;
    const match = INCLUDE_ONE.exec(chars);
    if (match === null || match[0].length >= MAX_TAG_BYTES || (strict && !isAscii(match[1]!))) break;
    // The text before an include that is not taken is kept all the same (the ordinary scan goes on at its tag).
    kept.push(match[1]!);
    run.end += match[1]!.length;
    if (!takes([match[2]!])) break;
    run.count++;
    run.end += match[0].length - match[1]!.length;
  }
  return finish(run, kept);
}

/** Closing tags among a run's tags: usually none, found with one native search. */
function closers(tags: string): number {
  let count = 0;
  for (let at = tags.indexOf(CLOSER); at !== -1; at = tags.indexOf(CLOSER, at + CLOSER.length)) count++;
  return count;
}

function finish(run: Run, kept: string[]): Run | null {
  const text = kept.length === 1 ? kept[0]! : kept.join('');
  if (text.length === 0) return run;
  const bytes = ascii.encode(text);
  // Any unit past ASCII encodes to more than one byte (never so when `strict` checked every text).
  if (bytes.length !== text.length) return null;
  run.text = bytes;
  return run;
}

/** Every unit below 0x80: one unit per byte encodes back to the same bytes (any other unit takes more). */
function isAscii(text: string): boolean {
  return ascii.encode(text).length === text.length;
}

/**
 * Runs each expression once at module load: inside the guest that is build time (the Wizer
 * snapshot keeps their compiled code), while a RegExp's first run inside a request costs ~0.5 ms.
 */
function warm(): void {
  const sample = '<p>x</p><esi:include src="/a"/>'.repeat(RUN + 1);
  dropRun(sample, 0);
  includeRun(sample, 0, RUN + 1, () => true);
}
warm();
