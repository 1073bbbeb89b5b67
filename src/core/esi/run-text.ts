/**
 * What the runs of elements share (tag-runs.ts, include-run.ts): the expressions' parts, and the
 * text a run keeps: joined strings while it is ASCII, which encode back to the same bytes, and
 * ranges of the chunk's bytes from the first text that is not.
 */
import { concatBytes } from '../http/concat-bytes.ts';

const encoder = new TextEncoder();

/** Elements per match: past ~32 the match's own work dominates (measured in the guest). */
export const RUN = 32;
/** Text up to the next construct: no `<esi:`, `</esi:` or `<!--esi`; `-->` outside a comment is text. */
export const TEXT = String.raw`([^<]*(?:<(?!\/?esi:|!--esi)[^<]*)*)`;
/** `unit` `times` over, as one sticky expression. */
export const repeated = (unit: string, times: number): RegExp => new RegExp(unit.repeat(times), 'y');

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
 * Matches between two checks that a run's texts are ASCII: the most a failed check takes again
 * (64 matches, ~2 ms in the guest). Each check encodes the texts since the last one, and those
 * bytes are the run's text: nothing is encoded twice.
 */
const CHECK_EVERY = 64;

/**
 * A run's kept text: strings while they are ASCII (joined and encoded once at the end), then ranges
 * of the chunk's bytes for good (bytes that are not ASCII are kept as they are, whatever the
 * encoding), read from the matches' groups. Texts are checked at the first match (a page whose
 * text is not ASCII shows it there), every `CHECK_EVERY` and at the run's end; a failed check
 * takes the run back to the last one that passed.
 */
export class RunText {
  readonly kept: string[] = [];
  readonly ranges: number[] = [];
  /** Texts are kept as ranges from here on: take matches with each tag's group (`SPANS`). */
  spans = false;
  /** The run at the last check that passed, and the texts kept then. */
  private checkedEnd: number;
  private checkedCount = 0;
  private checkedKept = 0;
  /** The checked texts, encoded by their check: the run's text is these joined, not encoded again. */
  private readonly encoded: Uint8Array[] = [];
  private encodedLength = 0;

  constructor(from: number) {
    this.checkedEnd = from;
  }

  /** A match's joined texts, after `run` took the match. */
  keep(text: string, run: Run): void {
    this.kept.push(text);
    if (this.kept.length === 1 || this.kept.length - this.checkedKept >= CHECK_EVERY) this.check(run);
  }

  /** Whether the texts kept since the last check are ASCII; if not, `run` goes back to it and texts are ranges from there. */
  check(run: Run): boolean {
    const kept = this.kept;
    if (this.spans || kept.length === this.checkedKept) return true;
    const recent = kept.length - this.checkedKept === 1 ? kept[kept.length - 1]! : kept.slice(this.checkedKept).join('');
    const bytes = encoder.encode(recent);
    if (bytes.length === recent.length) {
      this.add(bytes);
      this.checkedEnd = run.end;
      this.checkedCount = run.count;
      this.checkedKept = kept.length;
      return true;
    }
    run.end = this.checkedEnd;
    run.count = this.checkedCount;
    kept.length = this.checkedKept;
    this.spans = true;
    return false;
  }

  /** One text at `at` of the chunk, after a checked run: itself checked. */
  one(text: string, at: number): void {
    const bytes = this.spans ? null : encoder.encode(text);
    if (bytes !== null && bytes.length === text.length) return this.add(bytes);
    this.spans = true;
    if (text.length > 0) this.ranges.push(at, at + text.length);
  }

  /** `run` with its text (every text kept as a string has been checked by now). */
  into(run: Run): Run {
    const parts = this.encoded;
    if (this.encodedLength > 0) run.text = parts.length === 1 ? parts[0]! : concatBytes(parts, this.encodedLength);
    if (this.ranges.length > 0) run.ranges = this.ranges;
    return run;
  }

  private add(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.encoded.push(bytes);
    this.encodedLength += bytes.length;
  }
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

