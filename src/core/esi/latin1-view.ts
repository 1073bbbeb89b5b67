/**
 * The chunk view the ESI tokenizer uses inside the compiled Wasm guest (see chunk-view.ts): the
 * chunk decoded once with the WHATWG `latin1` decoder (really windows-1252), which maps every byte
 * to exactly one UTF-16 unit and leaves ASCII as is, so string offsets are byte offsets, searched
 * with `String.prototype` methods and regular expressions, which the runtime runs as native code.
 */
import { MAX_TAG_BYTES } from './esi-limits.ts';
import type { ChunkView, ChunkViews, ConstructMatch } from './chunk-view.ts';
import { byteViews } from './byte-view.ts';

const utf8 = new TextDecoder();
const NON_ASCII = /[\u0080-\uffff]/;
// Regular expressions with a literal start search at native speed; `String.prototype.indexOf` of
// `esi:` stops at every `e` of the page.
const OUTSIDE_COMMENT = /<\/?esi:|<!--esi/g;
const IN_COMMENT = /<\/?esi:|-->/g;
// One match finds the next construct and parses a well-formed tag (the same grammar as
// esi-tag-parser.ts's WELL_FORMED and CLOSE_TAG) whose attribute values are ASCII (other bytes
// are UTF-8 to decode: such a tag matches as a bare `<esi:` and is judged step by step); quoted
// values are bounded so a stray quote cannot make one search scan far.
// The two differ only in their last alternative. (Written out as literals: a probe in fresh guest
// instances once read the same expressions built with `new RegExp` slower per match; unconfirmed.)
const MATCH_OUTSIDE_COMMENT =
  /<esi:([A-Za-z0-9._-]+)((?:[ \t\n\r]+[A-Za-z0-9._-]+[ \t\n\r]*=[ \t\n\r]*(?:"[^"\u0080-\uffff]{0,8192}"|'[^'\u0080-\uffff]{0,8192}'))*)[ \t\n\r]*(\/?)>|<\/esi:([A-Za-z0-9._-]+)[ \t\n\r]*>|<\/?esi:|<!--esi/g;
const MATCH_IN_COMMENT =
  /<esi:([A-Za-z0-9._-]+)((?:[ \t\n\r]+[A-Za-z0-9._-]+[ \t\n\r]*=[ \t\n\r]*(?:"[^"\u0080-\uffff]{0,8192}"|'[^'\u0080-\uffff]{0,8192}'))*)[ \t\n\r]*(\/?)>|<\/esi:([A-Za-z0-9._-]+)[ \t\n\r]*>|<\/?esi:|-->/g;
const TAG_AT = /<esi:[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>|<\/esi:[^>]*>/y;

/** A class rather than an object of closures: the guest's interpreter pays for each closure made per chunk. */
class Latin1View implements ChunkView {
  constructor(
    readonly bytes: Uint8Array,
    private readonly chars: string,
  ) {}

  find(needle: string, from: number): number {
    return this.chars.indexOf(needle, from);
  }

  code(i: number): number {
    return this.chars.charCodeAt(i);
  }

  text(from: number, to: number): string {
    const ascii = this.chars.slice(from, to);
    return NON_ASCII.test(ascii) ? utf8.decode(new Uint8Array(this.bytes.buffer, this.bytes.byteOffset + from, to - from)) : ascii;
  }

  nextConstruct(from: number, inComment: boolean): number {
    const search = inComment ? IN_COMMENT : OUTSIDE_COMMENT;
    search.lastIndex = from;
    return search.exec(this.chars)?.index ?? -1;
  }

  nextMatch(from: number, inComment: boolean): ConstructMatch | null {
    return nextMatchIn(this.chars, from, inComment, 0);
  }

  tagEnd(at: number): number {
    return tagEndIn(this.chars.slice(at, at + MAX_TAG_BYTES), at);
  }

  oneCharPerByte(): string {
    return this.chars;
  }
}

/** A construct matched by the MATCH expressions, starting at `at` of the chunk. */
function constructOf(match: RegExpExecArray, at: number): ConstructMatch {
  const end = at + match[0].length;
  if (end - at > MAX_TAG_BYTES) return { at, end: -1 };
  if (match[4] !== undefined) return { at, end, closes: match[4] };
  if (match[1] === undefined) return { at, end: -1 };
  return { at, end, name: match[1], attributes: match[2]!, selfClosing: match[3] === '/' };
}

/** `nextMatch` over `chars`, the chunk's bytes one unit per byte from byte `offset` on (all of it, or a window). */
export function nextMatchIn(chars: string, from: number, inComment: boolean, offset: number): ConstructMatch | null {
  const search = inComment ? MATCH_IN_COMMENT : MATCH_OUTSIDE_COMMENT;
  search.lastIndex = from;
  const match = search.exec(chars);
  return match === null ? null : constructOf(match, offset + match.index);
}

const MATCH_OUTSIDE_COMMENT_AT = new RegExp(MATCH_OUTSIDE_COMMENT.source, 'y');
const MATCH_IN_COMMENT_AT = new RegExp(MATCH_IN_COMMENT.source, 'y');

/**
 * The construct that starts at `at` of `chars` (as `nextMatchIn` would find it there, without a
 * search); null when `chars` ends before the construct does.
 */
export function matchAt(chars: string, at: number, inComment: boolean, offset: number): ConstructMatch | null {
  const sticky = inComment ? MATCH_IN_COMMENT_AT : MATCH_OUTSIDE_COMMENT_AT;
  sticky.lastIndex = at;
  const match = sticky.exec(chars);
  return match === null ? null : constructOf(match, offset + at);
}

/** `tagEnd` for `window`, the chunk's bytes one unit per byte from `at`. */
export function tagEndIn(window: string, at: number): number {
  TAG_AT.lastIndex = 0;
  return TAG_AT.test(window.length > MAX_TAG_BYTES ? window.slice(0, MAX_TAG_BYTES) : window) ? at + TAG_AT.lastIndex : -1;
}

let latin1: TextDecoder | null | undefined;

/** The bytes as one UTF-16 unit per byte (string offsets are byte offsets); null when the runtime cannot. */
export function latin1Text(bytes: Uint8Array): string | null {
  if (latin1 === undefined) latin1 = createLatin1();
  const chars = latin1?.decode(bytes);
  return chars === undefined || chars.length !== bytes.length ? null : chars;
}

/** The chunk one unit per byte; a runtime whose decoder does not keep one unit per byte gets the byte search instead. */
export function latin1View(bytes: Uint8Array): ChunkView {
  const chars = latin1Text(bytes);
  return chars === null ? byteViews(bytes) : new Latin1View(bytes, chars);
}

/** 64 KiB batches: a 2 MiB template in 16 KiB chunks measured ~15 ms warm in the guest, ~11.7 batched. */
export const latin1Views: ChunkViews = Object.assign((bytes: Uint8Array) => latin1View(bytes), { batchBytes: 64 * 1024 });

function createLatin1(): TextDecoder | null {
  try {
    // Fastly's TextDecoder typings list only UTF-8 labels; its runtime decodes latin1 too.
    // (`x-user-defined` decodes a windows-1252 chunk faster in the measuring guest, but the demo
    // pages of bin/main.wasm measured ~2 ms more guest CPU with it, paired.)
    return Reflect.construct(TextDecoder, ['latin1']);
  } catch {
    return null;
  }
}
