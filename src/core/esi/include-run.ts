/**
 * Runs of plain includes below the element cap (tag-runs.ts describes runs): an
 * `<esi:include src="…"/>` the assembler would take without output is counted and left out.
 */
import { MAX_TAG_BYTES } from './esi-limits.ts';
import { RUN, TEXT, finish, isAscii, repeated, type Run } from './tag-runs.ts';

/** An include of `src` alone in double quotes, its value printable ASCII without an entity (taken as written). */
const INCLUDE = String.raw`<esi:include[ \t\n\r]+src[ \t\n\r]*=[ \t\n\r]*"([^"<>&\u0000-\u001f\u0080-\uffff]*)"[ \t\n\r]*\/?>`;
const INCLUDE_RUN = repeated(TEXT + INCLUDE, RUN);
const INCLUDE_ONE = repeated(TEXT + INCLUDE, 1);

/**
 * Below the cap: plain includes from `from`, at most `room` of them, while `takes(srcs)` says that
 * includes of these srcs leave no trace (asked once per match, then once per include where a
 * match's includes are not all taken; it must not change anything, as it may be asked twice).
 */
export function includeRun(chars: string, from: number, room: number, takes: (srcs: readonly string[]) => boolean): Run {
  return including(chars, from, room, takes, false) ?? including(chars, from, room, takes, true)!;
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

/** Compiles the expressions at module load (see tag-runs.ts). */
includeRun('<p>x</p><esi:include src="/a"/>'.repeat(RUN + 1), 0, RUN + 1, () => true);
