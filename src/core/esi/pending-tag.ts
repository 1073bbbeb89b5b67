/**
 * The ESI tokenizer's tags that its chunk view could not finish in one match (esi-tokenizer.ts):
 * one cut by the chunk's end, or with quotes holding `<` or `>`, is scanned step by step
 * (tag-scan.ts), its bytes from earlier chunks kept, until its `>` or the size cap. A finished tag
 * is parsed and counted against the element cap (`ElementCount`, shared with the tokenizer).
 * Fixed for malformed input: a tag longer than `MAX_TAG_BYTES` (e.g. an unterminated quote) is not
 * a tag, its first `MAX_TAG_BYTES` bytes are text and scanning resumes after them; a tag still
 * unterminated at the end of the input is text.
 */
import { MAX_TAG_BYTES } from './esi-limits.ts';
import type { EsiToken, TokenizerOptions } from './esi-token.ts';
import { parseCloseTag, parseOpenTag } from './esi-tag-parser.ts';
import { copyOf, viewOf, type ChunkCursor } from './chunk-cursor.ts';
import { concatBytes } from '../http/concat-bytes.ts';
import { tagEnd, type PendingTag } from './tag-scan.ts';

const OPEN_PREFIX = '<esi:'.length;
const CLOSE_PREFIX = '</esi:'.length;
const utf8 = new TextDecoder();

/** The page's opening tags against the cap: the tokenizer's matches and this file's tags count in one place. */
export interface ElementCount {
  readonly max: number;
  elements: number;
  /** Opening tags past the cap, dropped. */
  dropped: number;
  /** The last element left no trace (dropped, or an include skipped at the root): more may follow in a run. */
  mayRun: boolean;
}

export class PendingTags {
  /** The tag being scanned, if any. */
  tag: PendingTag | null = null;

  constructor(
    private readonly count: ElementCount,
    private readonly emit: (token: EsiToken) => void,
    private readonly options: TokenizerOptions,
  ) {}

  /** A tag starting at `at`: finished at once when the view finds its end, else scanned step by step. */
  start(cursor: ChunkCursor, at: number, close: boolean): number {
    const end = cursor.view.tagEnd?.(at) ?? -1;
    if (end !== -1) {
      this.finish(cursor, { start: at, saved: [], length: end - at, close, quote: 0 }, at, end);
      return end;
    }
    const prefix = close ? CLOSE_PREFIX : OPEN_PREFIX;
    this.tag = { start: at, saved: [], length: prefix, close, quote: 0 };
    return at + prefix;
  }

  /** Scans the open tag's bytes up to `>` (outside quotes for opening tags) or the size cap. */
  continue(cursor: ChunkCursor, from: number): number {
    const tag = this.tag!;
    const limit = Math.min(cursor.length, from + MAX_TAG_BYTES - tag.length);
    const gt = tagEnd(cursor, tag, from, limit);
    if (gt !== -1) {
      this.tag = null;
      this.finish(cursor, tag, from, gt + 1);
      return gt + 1;
    }
    if (tag.length + limit - from >= MAX_TAG_BYTES) {
      // Not a tag: its first `MAX_TAG_BYTES` bytes are text (the earlier chunks' before this one's).
      this.tag = null;
      if (tag.start === -1) cursor.bytes(concatBytes(tag.saved, tag.length));
      cursor.text(tag.start === -1 ? from : tag.start, limit);
      return limit;
    }
    if (tag.start === -1) tag.saved.push(copyOf(cursor.view.bytes, from, limit));
    tag.length += limit - from;
    return limit;
  }

  /** At a chunk's end: a tag still open keeps a copy of its bytes from this chunk. */
  keep(buffer: Uint8Array): void {
    const tag = this.tag;
    if (tag === null || tag.start === -1) return;
    tag.saved.push(copyOf(buffer, tag.start, buffer.length));
    tag.start = -1;
  }

  /** At the input's end: an unterminated tag's bytes, which are text; null when none. */
  end(): Uint8Array | null {
    const tag = this.tag;
    this.tag = null;
    return tag === null ? null : concatBytes(tag.saved, tag.length);
  }

  /** A tag from `tag.start` (or its saved bytes and `from`) to `to`: counted, parsed and emitted, or dropped past the cap. */
  private finish(cursor: ChunkCursor, tag: PendingTag, from: number, to: number): void {
    const count = this.count;
    const overCap = count.elements >= count.max;
    if (!tag.close) {
      count.mayRun = overCap;
      if (overCap) return void count.dropped++;
      count.elements++;
    }
    const text = tag.start !== -1 ? cursor.view.text(tag.start, to) : utf8.decode(concatBytes(tag.saved.concat(viewOf(cursor.view.bytes, from, to))));
    const token: EsiToken = tag.close ? { kind: 'close', name: parseCloseTag(text) } : { kind: 'open', tag: parseOpenTag(text) };
    if (overCap && token.kind === 'close' && (token.name === null || this.options.keepsCloser?.(token.name) !== true)) return;
    cursor.flush();
    this.emit(token);
  }
}
