/**
 * The chunk view the ESI tokenizer uses inside the compiled Wasm guest (see chunk-view.ts). It
 * finds constructs with the UTF-16 pair search (pair-search.ts), which spares decoding the page
 * one unit per byte (2 MiB: ~1.5 ms against ~8 ms for `latin1`), and decodes only a window of
 * bytes at each construct as `latin1` (latin1-view.ts's grammar, one unit per byte), where the
 * tags after it are matched the way the latin1 view matches them.
 */
import type { ChunkView, ChunkViews, ConstructMatch } from './chunk-view.ts';
import { MAX_TAG_BYTES } from './esi-limits.ts';
import { latin1Text, latin1View, nextMatchIn, tagEndIn } from './latin1-view.ts';
import { nextPairConstruct, pairsOf } from './pair-search.ts';

const utf8 = new TextDecoder();
/** Bytes decoded at a construct: the tags after it within this many are matched in the same window. */
const WINDOW = 2048;
const LONGEST = '<!--esi'.length;
/** Bytes decoded for a `find` before the whole chunk is. */
const FIND_WINDOW = 16 * 1024;

class PairView implements ChunkView {
  private whole: ChunkView | null = null;
  /** The bytes from `windowAt` on, one unit per byte. */
  private window = '';
  private windowAt = 0;

  constructor(
    readonly bytes: Uint8Array,
    private readonly pairs: string,
  ) {}

  nextConstruct(from: number, inComment: boolean): number {
    return nextPairConstruct(this.bytes, this.pairs, from, inComment);
  }

  /**
   * Markup comes in runs (a page's tags, a hostile template's thousands): a latin1 window decoded
   * at a construct answers the constructs after it with one native match each, as the latin1 view
   * does, and the pair search skips the stretches between windows.
   */
  nextMatch(from: number, inComment: boolean): ConstructMatch | null {
    const length = this.bytes.length;
    let start = from;
    if (start < this.windowAt || start >= this.windowAt + this.window.length) start = this.load(this.nextConstruct(start, inComment), WINDOW);
    while (start !== -1) {
      const windowEnd = this.windowAt + this.window.length;
      const match = nextMatchIn(this.window, start - this.windowAt, inComment, this.windowAt);
      if (match !== null) {
        // A construct the window's end may have cut short is matched again in its own window.
        if (match.end !== -1 || windowEnd === length || match.at + MAX_TAG_BYTES <= windowEnd) return match;
        this.load(match.at, MAX_TAG_BYTES);
        return nextMatchIn(this.window, 0, inComment, match.at);
      }
      if (windowEnd === length) return null;
      // A construct cut by the window's end starts within its last six bytes.
      start = this.load(this.nextConstruct(Math.max(start, windowEnd - LONGEST + 1), inComment), WINDOW);
    }
    return null;
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

  /** Decodes the window at `at` (when not -1, which it returns). */
  private load(at: number, size: number): number {
    if (at === -1) return -1;
    this.window = this.latin1(at, Math.min(this.bytes.length, at + size));
    this.windowAt = at;
    return at;
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

let windows: boolean | undefined;
const views = (bytes: Uint8Array): ChunkView => {
  // Tags are decoded as latin1 windows: without that decoder, the latin1 view's own fallback.
  windows ??= latin1Text(Uint8Array.of(0xff)) !== null;
  const pairs = windows ? pairsOf(bytes) : null;
  return pairs === null ? latin1View(bytes) : new PairView(bytes, pairs);
};

/** 64 KiB batches, as latin1Views (template-reader.ts). */
export const pairViews: ChunkViews = Object.assign(views, { batchBytes: 64 * 1024 });

/**
 * Runs each expression once at module load: inside the guest that is build time (the Wizer
 * snapshot keeps their compiled code), while a RegExp first run inside a request costs ~0.5 ms.
 */
function warm(): void {
  const sample = new TextEncoder().encode('x<esi:a b="1"/>y<!--esi </esi:c> -->');
  // Both alignments, outside and inside a comment.
  for (const chunk of [sample, sample.subarray(1)]) {
    const view = views(chunk);
    for (const inComment of [false, true]) {
      for (let match = view.nextMatch!(0, inComment); match !== null; match = view.nextMatch!(match.at + 1, inComment)) view.tagEnd!(match.at);
    }
  }
}
warm();

