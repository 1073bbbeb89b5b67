/**
 * A streaming ESI tokenizer over bytes. It finds `<esi:…>`, `</esi:…>`, `<!--esi` and (inside such
 * a comment) `-->` in `Uint8Array` chunks and passes every other byte through undecoded, as few
 * views of the input as it can. Searches go through a `ChunkView` (native string search inside the
 * Wasm guest, typed-array search on V8), so finding markup is native code on both hosts and only
 * the inside of a tag is looked at in JavaScript. Tags split across chunks at any byte are handled,
 * scanning is linear and it never throws on malformed input.
 *
 * Decisions for malformed input (ESI 1.0 leaves them to each implementation, so they are fixed here):
 * - an oversized or unterminated tag is text (pending-tag.ts), and so is a partial `<esi` at the end;
 * - `-->` outside `<!--esi` is text; `<!--esi` inside `<!--esi` is text;
 * - past `maxElements` opening tags, further opening tags are dropped without a token (their
 *   content stays), and a closing tag is kept only when `keepsCloser` says it closes an open block;
 * - the tag's structure (names, attributes, nesting) is judged later by the assembler.
 */
import { MAX_ESI_ELEMENTS } from './esi-limits.ts';
import type { EsiToken, TokenizerOptions } from './esi-token.ts';
import { wellFormedAttributes } from './esi-tag-parser.ts';
import { byteViews } from './byte-view.ts';
import type { ChunkViews, ConstructMatch } from './chunk-view.ts';
import { ChunkCursor, copyOf, NEEDLES, type Needle } from './chunk-cursor.ts';
import { concatBytes } from '../http/concat-bytes.ts';
import { earliest, findTagStart, partialTail } from './tag-scan.ts';
import { takeRun } from './tag-runs.ts';
import { PendingTags, type ElementCount } from './pending-tag.ts';

// The assembler imports the token type from here.
export type { EsiToken, TokenizerOptions } from './esi-token.ts';

const COMMENT_OPEN: Needle = 1;
const COMMENT_CLOSE: Needle = 2;

export class EsiTokenizer {
  private carry: Uint8Array | null = null;
  private inComment = false;
  private readonly views: ChunkViews;
  private readonly count: ElementCount;
  private readonly tags: PendingTags;
  /** Made once: inside the guest every closure made per chunk costs the interpreter. */
  private readonly emitText: (bytes: Uint8Array) => void;

  constructor(
    private readonly emit: (token: EsiToken) => void,
    private readonly options: TokenizerOptions = {},
  ) {
    this.views = options.views ?? byteViews;
    this.count = { max: options.maxElements ?? MAX_ESI_ELEMENTS, elements: 0, dropped: 0, mayRun: false };
    this.tags = new PendingTags(this.count, emit, options);
    this.emitText = options.text ?? ((bytes) => this.emit({ kind: 'text', bytes }));
  }

  /** Opening tags past the element cap, dropped. */
  get dropped(): number {
    return this.count.dropped;
  }

  /** `whole`: the chunk is the whole template (see ChunkViews). */
  write(chunk: Uint8Array, whole = false): void {
    let buffer = chunk;
    if (this.carry !== null) {
      buffer = concatBytes([this.carry, chunk], this.carry.length + chunk.length);
      this.carry = null;
    }
    const cursor = new ChunkCursor(this.views(buffer, whole), this.emitText);
    const tags = this.tags;
    let pos = 0;
    // Past the cap the chunk may start with tags to drop.
    if (this.count.elements >= this.count.max) this.count.mayRun = true;
    while (pos < buffer.length) pos = tags.tag !== null ? tags.continue(cursor, pos) : this.scanText(cursor, pos);
    cursor.flush();
    tags.keep(buffer);
  }

  end(): void {
    if (this.carry !== null) this.text(this.carry);
    this.carry = null;
    const tag = this.tags.end();
    if (tag !== null) this.text(tag);
  }

  /** Gathers text up to the next construct and starts it; returns where scanning continues. */
  private scanText(cursor: ChunkCursor, from: number): number {
    if (this.count.mayRun) {
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
      if (tail < cursor.length) this.carry = copyOf(cursor.view.bytes, tail, cursor.length);
      return cursor.length;
    }
    cursor.text(from, at);
    const second = cursor.view.code(at + 1);
    if (second === 0x2f || second === 0x65) return this.tags.start(cursor, at, second === 0x2f);
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
    this.count.mayRun = false;
    const chars = this.inComment || this.options.noOpenBlocks?.() !== true ? undefined : cursor.view.oneCharPerByte?.();
    return chars === undefined ? from : takeRun(this.count, cursor, chars, from, this.options.skipsIncludes);
  }

  /** The next `<esi:`, `</esi:` or comment construct (`<!--esi` outside one, `-->` inside). */
  private nextConstruct(cursor: ChunkCursor, from: number): number {
    const view = cursor.view;
    if (view.nextConstruct !== undefined) return view.nextConstruct(from, this.inComment);
    return earliest(findTagStart(cursor, from), cursor.find(this.inComment ? COMMENT_CLOSE : COMMENT_OPEN, from));
  }

  /** A well-formed tag parsed by the view's one native match. */
  private finishMatched(cursor: ChunkCursor, match: ConstructMatch): void {
    const count = this.count;
    if (match.closes === undefined) {
      count.mayRun = true;
      if (count.elements >= count.max) return void count.dropped++;
      count.elements++;
      const tag = { name: match.name!, attributes: wellFormedAttributes(match.attributes!), selfClosing: match.selfClosing === true };
      const trace = this.options.leavesNoTrace?.(tag);
      if (trace === true) return;
      count.mayRun = false;
      if (trace === 'reported') return;
      cursor.flush();
      return this.emit({ kind: 'open', tag });
    }
    if (count.elements >= count.max && this.options.keepsCloser?.(match.closes) !== true) return;
    cursor.flush();
    this.emit({ kind: 'close', name: match.closes });
  }

  private text(bytes: Uint8Array): void {
    if (bytes.length > 0) this.emitText(bytes);
  }
}
