/**
 * Runs of plain includes below the element cap (tag-runs.ts describes runs): an
 * `<esi:include src="…"/>` (or `src='…'`) the assembler would take without output is counted and
 * left out.
 */
import { MAX_TAG_BYTES } from './esi-limits.ts';
import { RUN, RunText, TEXT, repeated, textRanges, type Run } from './run-text.ts';

/** A src value printable ASCII without an entity or a quote (taken as written). */
const SRC = String.raw`[^"'<>&\u0000-\u001f\u0080-\uffff]*`;
/** An include of `src` alone, its value in double or single quotes (one group each). */
const INCLUDE = String.raw`<esi:include[ \t\n\r]+src[ \t\n\r]*=[ \t\n\r]*(?:"(${SRC})"|'(${SRC})')[ \t\n\r]*\/?>`;
/** Groups per include: text, src in double quotes, src in single quotes; `SPANS` has the tag's too, second. */
const INCLUDE_RUN = repeated(TEXT + INCLUDE, RUN);
const INCLUDE_SPANS = repeated(TEXT + `(${INCLUDE})`, RUN);
const INCLUDE_ONE = repeated(TEXT + `(${INCLUDE})`, 1);

type Takes = (srcs: readonly string[]) => boolean;

/**
 * Below the cap: plain includes from `from`, at most `room` of them, while `takes(srcs)` says that
 * includes of these srcs leave no trace (asked once per match, then once per include where a
 * match's includes are not all taken). A yes takes them, so only a yes may change anything (the
 * includes skipped past the inserted-bytes cap are counted there); a no may be asked again.
 */
export function includeRun(chars: string, from: number, room: number, takes: Takes): Run {
  const run: Run = { end: from, text: null, ranges: null, count: 0 };
  const texts = new RunText(from);
  const srcs: string[] = [];
  for (;;) {
    const whole = texts.spans ? INCLUDE_SPANS : INCLUDE_RUN;
    whole.lastIndex = run.end;
    const match = run.count + RUN <= room ? whole.exec(chars) : null;
    const mark = texts.ranges.length;
    const text = match === null || texts.spans ? null : textsAndSrcs(match, srcs);
    const textLength = match === null ? 0 : (text?.length ?? textRanges(match, 4, run.end, texts.ranges));
    if (match !== null && text === null) srcsOf(match, srcs);
    if (match === null || match[0].length - textLength >= MAX_TAG_BYTES || !takes(srcs)) {
      texts.ranges.length = mark;
      // Texts since the last check that are not ASCII: taken again from there as ranges.
      if (texts.check(run)) break;
      continue;
    }
    run.count += RUN;
    run.end += match[0].length;
    if (text !== null) texts.keep(text, run);
  }
  while (run.count < room) {
    INCLUDE_ONE.lastIndex = run.end;
    const match = INCLUDE_ONE.exec(chars);
    if (match === null || match[0].length >= MAX_TAG_BYTES) break;
    // The text before an include that is not taken is kept all the same (the ordinary scan goes on at its tag).
    texts.one(match[1]!, run.end);
    run.end += match[1]!.length;
    if (!takes([match[3] ?? match[4]!])) break;
    run.count++;
    run.end += match[2]!.length;
  }
  return texts.into(run);
}

/** A match of `INCLUDE_RUN`: its srcs into `srcs`, its texts joined. */
function textsAndSrcs(match: RegExpExecArray, srcs: string[]): string {
  const texts: string[] = [];
  srcs.length = 0;
  for (let i = 1; i < match.length; i += 3) {
    texts.push(match[i]!);
    srcs.push(match[i + 1] ?? match[i + 2]!);
  }
  return texts.join('');
}

/** A match of `INCLUDE_SPANS`: its srcs into `srcs`. */
function srcsOf(match: RegExpExecArray, srcs: string[]): void {
  srcs.length = 0;
  for (let i = 3; i < match.length; i += 4) srcs.push(match[i] ?? match[i + 1]!);
}

/** Compiles the expressions at module load (see tag-runs.ts), for one-byte and two-byte strings. */
for (const text of ['x', '\u00e9', '\u201a']) includeRun(`<p>${text}</p><esi:include src="/a"/>`.repeat(RUN + 1), 0, RUN + 1, () => true);
