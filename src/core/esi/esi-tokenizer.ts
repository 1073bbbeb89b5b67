/**
 * A streaming, byte-level ESI tokenizer. It finds `<esi:…>`, `</esi:…>`, `<!--esi` and (inside
 * such a comment) `-->` in `Uint8Array` chunks and passes every other byte through undecoded, as
 * subarrays of the input. Tags split across chunks at any byte are handled; scanning is linear
 * (`indexOf` plus a bounded per-tag scan, no regex) and never throws on malformed input.
 *
 * Decisions for malformed input (DESIGN §5.3 asks each implementation to document them):
 * - a tag longer than `MAX_TAG_BYTES` (e.g. an unterminated quote) is not a tag: its first
 *   `MAX_TAG_BYTES` bytes are passed through as text and scanning resumes after them;
 * - an unterminated tag or partial `<esi` at end of input is passed through as text;
 * - `-->` outside `<!--esi` is text; `<!--esi` inside `<!--esi` is text;
 * - the tag's structure (names, attributes, nesting) is judged later by the assembler.
 */
import { MAX_TAG_BYTES } from './esi-limits.ts';
import type { EsiOpenTag } from './esi-tag-parser.ts';
import { parseCloseTag, parseOpenTag } from './esi-tag-parser.ts';
import { concatBytes } from '../http/concat-bytes.ts';

export type EsiToken =
  | { kind: 'text'; bytes: Uint8Array }
  | { kind: 'open'; tag: EsiOpenTag }
  | { kind: 'close'; name: string | null }
  | { kind: 'comment-open' }
  | { kind: 'comment-close' };

const OPEN = bytesOf('<esi:');
const CLOSE = bytesOf('</esi:');
const COMMENT_OPEN = bytesOf('<!--esi');
const COMMENT_CLOSE = bytesOf('-->');
const LT = 0x3c;
const GT = 0x3e;
const DASH = 0x2d;
const LONGEST = COMMENT_OPEN.length;
const UNKNOWN = -2;

const COLON = 0x3a;
const BANG = 0x21;
const ANCHOR_BYTES = [COLON, BANG, DASH] as const;

type Match = 'open' | 'close' | 'comment-open' | 'comment-close' | 'partial' | 'none';

const decoder = new TextDecoder();

export class EsiTokenizer {
  private carry: Uint8Array | null = null;
  private inComment = false;
  /** Non-null while collecting a tag: where it starts in the current buffer (-1 when it began in
   * an earlier chunk), the copies saved from earlier chunks, its length so far and quote state. */
  private tag: { origin: number; saved: Uint8Array[]; length: number; close: boolean; quote: number } | null = null;

  /** Next known positions of `:`, `!` and `-` in `anchorBuffer` (-1: none left; UNKNOWN: not searched). */
  private anchorBuffer: Uint8Array | null = null;
  private anchors: number[] = [UNKNOWN, UNKNOWN, UNKNOWN];

  constructor(private readonly emit: (token: EsiToken) => void) {}

  write(chunk: Uint8Array): void {
    let buffer = chunk;
    if (this.carry !== null) {
      buffer = concatBytes([this.carry, chunk], this.carry.length + chunk.length);
      this.carry = null;
    }
    let pos = 0;
    while (pos < buffer.length) {
      pos = this.tag !== null ? this.continueTag(buffer, pos) : this.scanText(buffer, pos);
    }
    this.anchorBuffer = null;
    // A tag still open when the chunk ends keeps a copy of its bytes from this chunk.
    if (this.tag !== null && this.tag.origin !== -1) {
      this.tag.saved.push(buffer.slice(this.tag.origin));
      this.tag.origin = -1;
    }
  }

  end(): void {
    if (this.carry !== null) this.text(this.carry);
    this.carry = null;
    if (this.tag !== null) this.text(concatBytes(this.tag.saved, this.tag.length));
    this.tag = null;
  }

  /** Emits text up to the next construct and starts it; returns where scanning continues. */
  private scanText(buffer: Uint8Array, from: number): number {
    const found = this.findConstruct(buffer, from);
    if (found !== null) {
      this.text(buffer.subarray(from, found.at));
      return this.start(found.match, buffer, found.at);
    }
    const tail = partialTail(buffer, from, this.inComment);
    this.text(buffer.subarray(from, tail));
    if (tail < buffer.length) this.carry = buffer.slice(tail);
    return buffer.length;
  }

  /**
   * Finds the next construct by its rarest byte rather than by every `<` (HTML is full of those):
   * the `:` of `<esi:`/`</esi:`, the `!` of `<!--esi`, the `-` of `-->` (only inside `<!--esi`).
   * Each search is a native `indexOf`; each hit is checked in constant time.
   */
  private findConstruct(buffer: Uint8Array, from: number): { at: number; match: Exclude<Match, 'none'> } | null {
    let cursor = [from, from, from];
    for (;;) {
      const colon = this.next(buffer, 0, cursor[0]!);
      const bang = this.inComment ? -1 : this.next(buffer, 1, cursor[1]!);
      const dash = this.inComment ? this.next(buffer, 2, cursor[2]!) : -1;
      const at = earliest(colon, earliest(bang, dash));
      if (at === -1) return null;
      if (at === colon) {
        if (at - 4 >= from && startsWith(buffer, at - 4, OPEN, 4)) return { at: at - 4, match: 'open' };
        if (at - 5 >= from && startsWith(buffer, at - 5, CLOSE, 5)) return { at: at - 5, match: 'close' };
        cursor = [at + 1, cursor[1]!, cursor[2]!];
      } else if (at === bang) {
        const result = at - 1 >= from && buffer[at - 1] === LT ? matchPattern(buffer, at - 1, COMMENT_OPEN) : 'none';
        if (result !== 'none') return { at: at - 1, match: result === 'full' ? 'comment-open' : 'partial' };
        cursor = [cursor[0]!, at + 1, cursor[2]!];
      } else {
        const result = matchPattern(buffer, at, COMMENT_CLOSE);
        if (result !== 'none') return { at, match: result === 'full' ? 'comment-close' : 'partial' };
        cursor = [cursor[0]!, cursor[1]!, at + 1];
      }
    }
  }

  /**
   * The next position of an anchor byte at or after `from`, remembered per buffer so that dense
   * constructs do not make every search rescan the rest of the chunk (keeps scanning linear).
   */
  private next(buffer: Uint8Array, anchor: 0 | 1 | 2, from: number): number {
    if (this.anchorBuffer !== buffer) {
      this.anchorBuffer = buffer;
      this.anchors = [UNKNOWN, UNKNOWN, UNKNOWN];
    }
    let position = this.anchors[anchor]!;
    if (position === UNKNOWN || (position !== -1 && position < from)) {
      position = buffer.indexOf(ANCHOR_BYTES[anchor], from);
      this.anchors[anchor] = position;
    }
    return position;
  }

  private start(match: Exclude<Match, 'none'>, buffer: Uint8Array, at: number): number {
    switch (match) {
      case 'partial':
        this.carry = buffer.slice(at);
        return buffer.length;
      case 'comment-open':
        this.inComment = true;
        this.emit({ kind: 'comment-open' });
        return at + COMMENT_OPEN.length;
      case 'comment-close':
        this.inComment = false;
        this.emit({ kind: 'comment-close' });
        return at + COMMENT_CLOSE.length;
      case 'open':
      case 'close': {
        const prefix = match === 'open' ? OPEN.length : CLOSE.length;
        this.tag = { origin: at, saved: [], length: prefix, close: match === 'close', quote: 0 };
        return at + prefix;
      }
    }
  }

  /** Collects tag bytes up to `>` (outside quotes for open tags) or the size cap. */
  private continueTag(buffer: Uint8Array, from: number): number {
    const tag = this.tag!;
    const limit = Math.min(buffer.length, from + MAX_TAG_BYTES - tag.length);
    let i = from;
    for (; i < limit; i++) {
      const c = buffer[i]!;
      if (tag.quote !== 0) {
        if (c === tag.quote) tag.quote = 0;
      } else if (c === GT) {
        this.tag = null;
        this.finishTag(tagBytes(tag, buffer, from, i + 1), tag.close);
        return i + 1;
      } else if (!tag.close && (c === 0x22 || c === 0x27)) {
        tag.quote = c;
      }
    }
    if (tag.length + i - from >= MAX_TAG_BYTES) {
      this.tag = null;
      this.text(tagBytes(tag, buffer, from, i));
      return i;
    }
    if (tag.origin === -1) tag.saved.push(buffer.slice(from, i));
    tag.length += i - from;
    return i;
  }

  private finishTag(bytes: Uint8Array, close: boolean): void {
    const text = decoder.decode(bytes);
    if (close) this.emit({ kind: 'close', name: parseCloseTag(text) });
    else this.emit({ kind: 'open', tag: parseOpenTag(text) });
  }

  private text(bytes: Uint8Array): void {
    if (bytes.length > 0) this.emit({ kind: 'text', bytes });
  }
}

function matchPattern(buffer: Uint8Array, at: number, pattern: Uint8Array): 'full' | 'partial' | 'none' {
  for (let k = 0; k < pattern.length; k++) {
    if (at + k >= buffer.length) return 'partial';
    if (buffer[at + k] !== pattern[k]) return 'none';
  }
  return 'full';
}

function startsWith(buffer: Uint8Array, at: number, pattern: Uint8Array, length: number): boolean {
  for (let k = 0; k < length; k++) if (buffer[at + k] !== pattern[k]) return false;
  return true;
}

function earliest(a: number, b: number): number {
  return a === -1 ? b : b === -1 ? a : Math.min(a, b);
}

/** Where a trailing proper prefix of a construct (`<`, `<es`, `</esi`, `<!--e`…) starts, else the end. */
function partialTail(buffer: Uint8Array, from: number, inComment: boolean): number {
  for (let at = Math.max(from, buffer.length - LONGEST + 1); at < buffer.length; at++) {
    if (buffer[at] !== LT) continue;
    const open = matchPattern(buffer, at, OPEN) === 'partial' || matchPattern(buffer, at, CLOSE) === 'partial';
    if (open || (!inComment && matchPattern(buffer, at, COMMENT_OPEN) === 'partial')) return at;
  }
  return buffer.length;
}

/** The whole tag: a view when it lies in this buffer, else the saved copies plus this buffer's part. */
function tagBytes(tag: { origin: number; saved: Uint8Array[]; length: number }, buffer: Uint8Array, from: number, to: number): Uint8Array {
  if (tag.origin !== -1) return buffer.subarray(tag.origin, to);
  return concatBytes([...tag.saved, buffer.subarray(from, to)], tag.length + to - from);
}

function bytesOf(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
