/**
 * A streaming ESI tokenizer over bytes. It finds `<esi:…>`, `</esi:…>`, `<!--esi` and (inside such
 * a comment) `-->` in `Uint8Array` chunks and passes every other byte through undecoded, as few
 * views of the input as it can. Searches go through a `ChunkView` (native string search inside the
 * Wasm guest, typed-array search on V8), so finding markup is native code on both hosts and only
 * the inside of a tag is looked at in JavaScript. Tags split across chunks at any byte are handled,
 * scanning is linear and it never throws on malformed input.
 *
 * Decisions for malformed input (ESI 1.0 leaves them to each implementation, so they are fixed here):
 * - a tag longer than `MAX_TAG_BYTES` (e.g. an unterminated quote) is not a tag: its first
 *   `MAX_TAG_BYTES` bytes are passed through as text and scanning resumes after them;
 * - an unterminated tag or partial `<esi` at end of input is passed through as text;
 * - `-->` outside `<!--esi` is text; `<!--esi` inside `<!--esi` is text;
 * - past `maxElements` opening tags, further opening tags are dropped without a token (their
 *   content stays), and a closing tag is kept only when `keepsCloser` says it closes an open block;
 * - the tag's structure (names, attributes, nesting) is judged later by the assembler.
 */
import { MAX_ESI_ELEMENTS, MAX_TAG_BYTES } from './esi-limits.ts';
import type { EsiToken, TokenizerOptions } from './esi-token.ts';
import { parseCloseTag, parseOpenTag, wellFormedAttributes } from './esi-tag-parser.ts';
import { byteViews } from './byte-view.ts';
import type { ChunkViews, ConstructMatch } from './chunk-view.ts';
import { ChunkCursor, NEEDLES, type Needle } from './chunk-cursor.ts';
import { concatBytes } from '../http/concat-bytes.ts';
import { earliest, findTagStart, partialTail, tagEnd, type PendingTag } from './tag-scan.ts';
import { dropRun } from './tag-runs.ts';
import { includeRun } from './include-run.ts';

// The assembler imports the token type from here.
export type { EsiToken, TokenizerOptions } from './esi-token.ts';

const COMMENT_OPEN: Needle = 1;
const COMMENT_CLOSE: Needle = 2;
const OPEN_PREFIX = '<esi:'.length;
const CLOSE_PREFIX = '</esi:'.length;
const utf8 = new TextDecoder();

export class EsiTokenizer {
  private carry: Uint8Array | null = null;
  private inComment = false;
  private tag: PendingTag | null = null;
  private readonly views: ChunkViews;
  private readonly maxElements: number;
  private elements = 0;
  /** Opening tags past the element cap, dropped. */
  dropped = 0;
  /** The last element left no trace (dropped, or an include skipped at the root): more may follow in a run. */
  private mayRun = false;
  /** Made once: inside the guest every closure made per chunk costs the interpreter. */
  private readonly emitText: (bytes: Uint8Array) => void;

  constructor(
    private readonly emit: (token: EsiToken) => void,
    private readonly options: TokenizerOptions = {},
  ) {
    this.views = options.views ?? byteViews;
    this.maxElements = options.maxElements ?? MAX_ESI_ELEMENTS;
    this.emitText = options.text ?? ((bytes) => this.emit({ kind: 'text', bytes }));
  }

  write(chunk: Uint8Array): void {
    let buffer = chunk;
    if (this.carry !== null) {
      buffer = concatBytes([this.carry, chunk], this.carry.length + chunk.length);
      this.carry = null;
    }
    const cursor = new ChunkCursor(this.views(buffer), this.emitText);
    let pos = 0;
    // Past the cap the chunk may start with tags to drop.
    if (this.elements >= this.maxElements) this.mayRun = true;
    while (pos < buffer.length) pos = this.tag !== null ? this.continueTag(cursor, pos) : this.scanText(cursor, pos);
    cursor.flush();
    // A tag still open when the chunk ends keeps a copy of its bytes from this chunk.
    if (this.tag !== null && this.tag.start !== -1) {
      this.tag.saved.push(buffer.slice(this.tag.start));
      this.tag.start = -1;
    }
  }

  end(): void {
    if (this.carry !== null) this.text(this.carry);
    this.carry = null;
    if (this.tag !== null) this.text(concatBytes(this.tag.saved, this.tag.length));
    this.tag = null;
  }

  /** Gathers text up to the next construct and starts it; returns where scanning continues. */
  private scanText(cursor: ChunkCursor, from: number): number {
    if (this.mayRun) {
      const end = this.run(cursor, from);
      if (end !== from) return end;
    }
    const match = cursor.view.nextMatch?.(from, this.inComment);
    if (match !== undefined && match !== null && match.end !== -1) {
      cursor.text(from, match.at);
      this.finishMatched(cursor, match);
      return match.end;
    }
    const at = match === undefined ? this.nextConstruct(cursor, from) : match === null ? -1 : match.at;
    if (at === -1) {
      const tail = partialTail(cursor.view, from, this.inComment);
      cursor.text(from, tail);
      if (tail < cursor.length) this.carry = cursor.view.bytes.slice(tail);
      return cursor.length;
    }
    cursor.text(from, at);
    const second = cursor.view.code(at + 1);
    if (second === 0x2f || second === 0x65) return this.startTag(cursor, at, second === 0x2f);
    cursor.flush();
    this.inComment = !this.inComment;
    this.emit({ kind: this.inComment ? 'comment-open' : 'comment-close' });
    return at + NEEDLES[this.inComment ? COMMENT_OPEN : COMMENT_CLOSE].length;
  }

  /**
   * After an element that left no trace, at the page's root outside a comment: the elements that
   * follow it and would leave none either, many per native match (tag-runs.ts), with their text.
   * Returns where the ordinary scan goes on (`from` when the run took nothing).
   */
  private run(cursor: ChunkCursor, from: number): number {
    this.mayRun = false;
    const chars = this.inComment || this.options.noOpenBlocks?.() !== true ? undefined : cursor.view.oneCharPerByte?.();
    if (chars === undefined) return from;
    const overCap = this.elements >= this.maxElements;
    const skips = this.options.skipsIncludes;
    if (!overCap && skips === undefined) return from;
    const run = overCap ? dropRun(chars, from) : includeRun(chars, from, this.maxElements - this.elements, skips!);
    if (run.end === from) return from;
    if (overCap) this.dropped += run.count;
    else this.elements += run.count;
    if (run.text !== null) cursor.bytes(run.text);
    return run.end;
  }

  /** The next `<esi:`, `</esi:` or comment construct (`<!--esi` outside one, `-->` inside). */
  private nextConstruct(cursor: ChunkCursor, from: number): number {
    const view = cursor.view;
    if (view.nextConstruct !== undefined) return view.nextConstruct(from, this.inComment);
    return earliest(findTagStart(cursor, from), cursor.find(this.inComment ? COMMENT_CLOSE : COMMENT_OPEN, from));
  }

  /** A tag starting at `at`: finished at once when the view finds its end, else scanned step by step. */
  private startTag(cursor: ChunkCursor, at: number, close: boolean): number {
    const end = cursor.view.tagEnd?.(at) ?? -1;
    if (end !== -1) {
      this.finishTag(cursor, { start: at, saved: [], length: end - at, close, quote: 0 }, at, end);
      return end;
    }
    const prefix = close ? CLOSE_PREFIX : OPEN_PREFIX;
    this.tag = { start: at, saved: [], length: prefix, close, quote: 0 };
    return at + prefix;
  }

  /** Scans tag bytes up to `>` (outside quotes for opening tags) or the size cap. */
  private continueTag(cursor: ChunkCursor, from: number): number {
    const tag = this.tag!;
    const limit = Math.min(cursor.length, from + MAX_TAG_BYTES - tag.length);
    const gt = tagEnd(cursor, tag, from, limit);
    if (gt !== -1) {
      this.tag = null;
      this.finishTag(cursor, tag, from, gt + 1);
      return gt + 1;
    }
    if (tag.length + limit - from >= MAX_TAG_BYTES) {
      this.tag = null;
      if (tag.start === -1) this.text(concatBytes(tag.saved, tag.length));
      cursor.text(tag.start === -1 ? from : tag.start, limit);
      return limit;
    }
    if (tag.start === -1) tag.saved.push(cursor.view.bytes.slice(from, limit));
    tag.length += limit - from;
    return limit;
  }

  /** A well-formed tag parsed by the view's one native match. */
  private finishMatched(cursor: ChunkCursor, match: ConstructMatch): void {
    if (match.closes === undefined) {
      this.mayRun = true;
      if (this.elements >= this.maxElements) return void this.dropped++;
      this.elements++;
      const tag = { name: match.name!, attributes: wellFormedAttributes(match.attributes!), selfClosing: match.selfClosing === true };
      if (this.options.leavesNoTrace?.(tag) === true) return;
      this.mayRun = false;
      cursor.flush();
      return this.emit({ kind: 'open', tag });
    }
    if (this.elements >= this.maxElements && this.options.keepsCloser?.(match.closes) !== true) return;
    cursor.flush();
    this.emit({ kind: 'close', name: match.closes });
  }

  private finishTag(cursor: ChunkCursor, tag: PendingTag, from: number, to: number): void {
    const overCap = this.elements >= this.maxElements;
    if (!tag.close) {
      this.mayRun = overCap;
      if (overCap) return void this.dropped++;
      this.elements++;
    }
    const text = tag.start !== -1 ? cursor.view.text(tag.start, to) : utf8.decode(concatBytes([...tag.saved, cursor.view.bytes.subarray(from, to)]));
    const token: EsiToken = tag.close ? { kind: 'close', name: parseCloseTag(text) } : { kind: 'open', tag: parseOpenTag(text) };
    if (overCap && token.kind === 'close' && (token.name === null || this.options.keepsCloser?.(token.name) !== true)) return;
    cursor.flush();
    this.emit(token);
  }

  private text(bytes: Uint8Array): void {
    if (bytes.length > 0) this.emitText(bytes);
  }
}
