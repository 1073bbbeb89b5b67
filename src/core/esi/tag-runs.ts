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
export const RUN = 32;
/** Text up to the next construct: no `<esi:`, `</esi:` or `<!--esi`; `-->` outside a comment is text. */
export const TEXT = String.raw`([^<]*(?:<(?!\/?esi:|!--esi)[^<]*)*)`;
/** Any complete tag, as the ordinary scan would end it when no quote holds `<` or `>`. */
const ANY_TAG = String.raw`(?:<esi:[^<>"']*(?:(?:"[^<>"]*"|'[^<>']*')[^<>"']*)*>|<\/esi:[^<>]*>)`;

export const repeated = (unit: string, times: number): RegExp => new RegExp(unit.repeat(times), 'y');
const DROP_RUN = repeated(TEXT + ANY_TAG, RUN);
const DROP_ONE = repeated(TEXT + `(${ANY_TAG})`, 1);
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

/** Closing tags among a run's tags: usually none, found with one native search. */
function closers(tags: string): number {
  let count = 0;
  for (let at = tags.indexOf(CLOSER); at !== -1; at = tags.indexOf(CLOSER, at + CLOSER.length)) count++;
  return count;
}

export function finish(run: Run, kept: string[]): Run | null {
  const text = kept.length === 1 ? kept[0]! : kept.join('');
  if (text.length === 0) return run;
  const bytes = ascii.encode(text);
  // Any unit past ASCII encodes to more than one byte (never so when `strict` checked every text).
  if (bytes.length !== text.length) return null;
  run.text = bytes;
  return run;
}

/** Every unit below 0x80: one unit per byte encodes back to the same bytes (any other unit takes more). */
export function isAscii(text: string): boolean {
  return ascii.encode(text).length === text.length;
}

/**
 * Runs each expression once at module load: inside the guest that is build time (the Wizer
 * snapshot keeps their compiled code), while a RegExp's first run inside a request costs ~0.5 ms.
 */
function warm(): void {
  const sample = '<p>x</p><esi:include src="/a"/>'.repeat(RUN + 1);
  dropRun(sample, 0);
}
warm();
