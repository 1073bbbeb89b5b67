/**
 * The chunk view the ESI tokenizer uses inside the compiled Wasm guest (see chunk-view.ts). It
 * finds constructs with the UTF-16 pair search (pair-search.ts), which spares decoding the page
 * one unit per byte (2 MiB: ~1.5 ms against ~8 ms for `latin1`), and decodes only a window of
 * bytes at each construct as `latin1` (latin1-view.ts's grammar, one unit per byte), where the
 * tags after it are matched the way the latin1 view matches them.
 */
import type { ChunkView, ConstructMatch } from './chunk-view.ts';
import { MAX_TAG_BYTES } from './esi-limits.ts';
import { latin1Text, latin1View, matchAt, nextMatchIn, tagEndIn } from './latin1-view.ts';
import { PairSearch, pairsOf } from './pair-search.ts';

const utf8 = new TextDecoder();
/** Bytes decoded at a construct: the tags after it within this many are matched in the same window. */
const WINDOW = 2048;
const LONGEST = '<!--esi'.length;
/**
 * Constructs closer than this are found by scanning the window rather than by the pair search: a
 * scan that finds its tag within a window (~1 KB of HTML apart) measured cheaper than the pair
 * search's per-needle bookkeeping and a sticky match; one that runs through a window in vain costs more.
 */
const DENSE_GAP = WINDOW;
/** Bytes decoded for a `find` before the whole chunk is. */
const FIND_WINDOW = 16 * 1024;

export class PairView implements ChunkView {
  private whole: ChunkView | null = null;
  /** Made on the first search (see `pairSearch`); null when the pairs are not used. */
  private search: PairSearch | null | undefined;
  /** The bytes from `windowAt` on, one unit per byte. */
  private window = '';
  private windowAt = 0;
  /** The last construct came within `DENSE_GAP` bytes of where its search began. */
  private dense = false;

  constructor(readonly bytes: Uint8Array) {}

  nextConstruct(from: number, inComment: boolean): number {
    const search = this.pairSearch();
    return search === null ? this.wholeView().nextConstruct!(from, inComment) : search.next(from, inComment);
  }

  /**
   * Markup comes in runs (a page's tags, a hostile template's thousands): a latin1 window decoded
   * at a construct serves the constructs after it. Where constructs are sparse (a page's includes),
   * each is matched where the pair search found it, with a sticky match that reads no text; where
   * they are dense (the last one came within `DENSE_GAP` bytes), one RegExp scan of the window
   * finds and parses the next, cheaper than the pair search's per-needle bookkeeping.
   */
  nextMatch(from: number, inComment: boolean): ConstructMatch | null {
    const search = this.pairSearch();
    if (search === null) return this.wholeView().nextMatch!(from, inComment);
    let start = from;
    const windowEnd = this.windowAt + this.window.length;
    if (this.dense && start >= this.windowAt && start < windowEnd) {
      const match = nextMatchIn(this.window, start - this.windowAt, inComment, this.windowAt);
      if (match !== null) {
        this.dense = match.at - start < DENSE_GAP;
        return this.checked(match, windowEnd, inComment);
      }
      if (windowEnd === this.bytes.length) return null;
      // A construct cut by the window's end starts within its last six bytes.
      start = Math.max(start, windowEnd - LONGEST + 1);
    }
    const at = search.next(start, inComment);
    if (at === -1) return null;
    this.dense = at - from < DENSE_GAP;
    if (at < this.windowAt || at >= windowEnd) this.load(at, WINDOW);
    const match = matchAt(this.window, at - this.windowAt, inComment, this.windowAt);
    return match === null ? this.rematch(at, inComment) : this.checked(match, this.windowAt + this.window.length, inComment);
  }

  /** `match`, unless the window's end may have cut it short: then it is matched again in its own window. */
  private checked(match: ConstructMatch, windowEnd: number, inComment: boolean): ConstructMatch | null {
    if (match.end !== -1 || windowEnd === this.bytes.length || match.at + MAX_TAG_BYTES <= windowEnd) return match;
    return this.rematch(match.at, inComment);
  }

  private rematch(at: number, inComment: boolean): ConstructMatch | null {
    this.load(at, MAX_TAG_BYTES);
    return matchAt(this.window, 0, inComment, at);
  }

  tagEnd(at: number): number {
    return tagEndIn(this.latin1(at, Math.min(this.bytes.length, at + MAX_TAG_BYTES)), at);
  }

  find(needle: string, from: number): number {
    if (from >= this.bytes.length) return -1;
    const to = Math.min(this.bytes.length, from + FIND_WINDOW);
    const found = this.latin1(from, to).indexOf(needle);
    if (found !== -1) return from + found;
    return to === this.bytes.length ? -1 : this.wholeView().find(needle, from);
  }

  code(i: number): number {
    return this.bytes[i] ?? 0;
  }

  text(from: number, to: number): string {
    return utf8.decode(new Uint8Array(this.bytes.buffer, this.bytes.byteOffset + from, to - from));
  }

  oneCharPerByte(): string | undefined {
    return this.wholeView().oneCharPerByte?.();
  }

  /**
   * Null when the runtime cannot keep one unit per pair, or when the whole chunk's latin1 view was
   * made first (a run past the element cap): it finds the same constructs, and decoding the pairs
   * as well cost ~0.3–0.5 ms per 64 KiB in the guest.
   */
  private pairSearch(): PairSearch | null {
    if (this.search === undefined) {
      if (this.whole !== null) return null;
      const pairs = pairsOf(this.bytes);
      this.search = pairs === null ? null : new PairSearch(this.bytes, pairs);
    }
    return this.search;
  }

  /** Decodes the window at `at`. */
  private load(at: number, size: number): void {
    this.window = this.latin1(at, Math.min(this.bytes.length, at + size));
    this.windowAt = at;
  }

  /** The bytes from `from` to `to` one unit per byte (the tokenizer's tags are short). */
  private latin1(from: number, to: number): string {
    return latin1Text(new Uint8Array(this.bytes.buffer, this.bytes.byteOffset + from, to - from))!;
  }

  /** The latin1 view of the whole chunk, for what a window cannot answer (runs of elements, long searches). */
  private wholeView(): ChunkView {
    return (this.whole ??= latin1View(this.bytes));
  }
}
