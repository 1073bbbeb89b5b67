/**
 * The search primitive the ESI tokenizer runs on, as a port with two implementations, because the
 * two hosts are fast at different things (the same contract tests run against both):
 * - `latin1Views`, for the compiled Wasm guest: SpiderMonkey interprets typed-array searches and
 *   byte loops (~13 MB/s) but decodes and runs `String.prototype.indexOf` natively (~350 MB/s).
 *   Each chunk is decoded once with the WHATWG `latin1` decoder (really windows-1252), which maps
 *   every byte to exactly one UTF-16 unit and leaves ASCII as is, so string offsets are byte
 *   offsets and output can stay byte slices of the input whatever its encoding.
 * - `byteViews`, for V8 (the Node host): `Uint8Array.prototype.indexOf` is a native memchr there,
 *   while decoding a chunk to latin1 costs ~10 ms per MB.
 */
import { MAX_TAG_BYTES } from './esi-limits.ts';

export interface ChunkView {
  readonly bytes: Uint8Array;
  /** The first position at or after `from` where the ASCII `needle` starts in full; -1 when none. */
  find(needle: string, from: number): number;
  /** The byte at `i` when it is ASCII; some value of 0x80 or more for any other byte. */
  code(i: number): number;
  /** The bytes from `from` to `to` as UTF-8 text (tags: attribute values may hold any text). */
  text(from: number, to: number): string;
  /**
   * Optional: the chunk from `from` split in one native call into text and, at odd indexes,
   * complete ESI tags (`<esi:…>` with quotes honoured, `</esi:…>`) or bare `<esi:`, `</esi:` and
   * `<!--esi`. Lengths are byte lengths. Lets a page past the element cap drop thousands of tags
   * without a call per tag.
   */
  splitTags?(from: number): string[];
  /**
   * Optional: the index just past the `>` of the ESI tag starting at `at` (`<esi:…>` with quotes
   * honoured, `</esi:…>` up to its first `>`), when the tag ends in this chunk within
   * `MAX_TAG_BYTES`; -1 otherwise (the tokenizer then scans it step by step). One native match
   * per tag instead of a few interpreted searches.
   */
  tagEnd?(at: number): number;
  /**
   * Optional, for pages past the element cap: from `from`, every complete tag dropped and the text
   * between them joined, in a few native calls whatever the number of tags. Stops before the
   * chunk's last text; `end` is where that text starts, `opening` how many opening tags went.
   * Null when it cannot answer natively (a bare or oversized construct, text that is not ASCII):
   * the tokenizer then drops the tags one by one.
   */
  dropTags?(from: number): { end: number; opening: number; text: Uint8Array } | null;
  /**
   * Optional: where the next construct starts at or after `from` (`<esi:`, `</esi:`, and `<!--esi`
   * outside a comment or `-->` inside one), in one native search; -1 when none.
   */
  nextConstruct?(from: number, inComment: boolean): number;
}

export type ChunkViews = (bytes: Uint8Array) => ChunkView;

const utf8 = new TextDecoder();
const NON_ASCII = /[\u0080-\uffff]/;
// Regular expressions with a literal start search at native speed; `String.prototype.indexOf` of
// `esi:` stops at every `e` of the page.
const OUTSIDE_COMMENT = /<\/?esi:|<!--esi/g;
const IN_COMMENT = /<\/?esi:|-->/g;
const TAG_AT = /<esi:[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>|<\/esi:[^>]*>/y;
const TAGS = /(<esi:[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>|<\/esi:[^>]*>|<\/?esi:|<!--esi)/;
const TAGS_G = new RegExp(TAGS.source, 'g');
const SEPARATOR = '\u0100';
const CLOSE_START = `${SEPARATOR}</`;
/** A bare construct, or a tag longer than MAX_TAG_BYTES, among separated tags. */
const BARE_OR_LONG = new RegExp(`${SEPARATOR}(?:(?:<\\/?esi:|<!--esi)(?:${SEPARATOR}|$)|[^${SEPARATOR}]{${MAX_TAG_BYTES + 1}})`);
const BARE = /<\/?esi:(?![^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>)|<!--esi/;
const NOT_ASCII = /[\u0080-\u00ff]/;
const ascii = new TextEncoder();

export const byteViews: ChunkViews = (bytes) => ({
  bytes,
  find: (needle, from) => findBytes(bytes, needle, from),
  code: (i) => bytes[i] ?? 0,
  text: (from, to) => utf8.decode(bytes.subarray(from, to)),
});

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

  splitTags(from: number): string[] {
    return (from === 0 ? this.chars : this.chars.slice(from)).split(TAGS);
  }

  dropTags(from: number): { end: number; opening: number; text: Uint8Array } | null {
    // The ordinary scan judges the first bare construct (a tag cut by the chunk's end, mostly).
    const bare = this.chars.slice(from).search(BARE);
    const rest = this.chars.slice(from, bare === -1 ? this.chars.length : from + bare);
    const tags = rest.match(TAGS_G);
    if (tags === null) return null;
    // Latin-1 text holds no character above U+00FF: one cannot occur inside a tag.
    const joined = SEPARATOR + tags.join(SEPARATOR);
    if (BARE_OR_LONG.test(joined)) return null;
    const pieces = rest.split(TAGS);
    const end = rest.length - pieces[pieces.length - 1]!.length;
    const text = rest.slice(0, end).replace(TAGS_G, '');
    if (NOT_ASCII.test(text)) return null;
    const closing = joined.split(CLOSE_START).length - 1;
    return { end: from + end, opening: tags.length - closing, text: ascii.encode(text) };
  }

  tagEnd(at: number): number {
    TAG_AT.lastIndex = 0;
    return TAG_AT.test(this.chars.slice(at, at + MAX_TAG_BYTES)) ? at + TAG_AT.lastIndex : -1;
  }
}

let latin1: TextDecoder | null | undefined;

export const latin1Views: ChunkViews = (bytes) => {
  if (latin1 === undefined) latin1 = createLatin1();
  const chars = latin1?.decode(bytes);
  // A runtime whose decoder does not keep one unit per byte gets the byte search instead.
  if (chars === undefined || chars.length !== bytes.length) return byteViews(bytes);
  return new Latin1View(bytes, chars);
};

function createLatin1(): TextDecoder | null {
  try {
    // Fastly's TextDecoder typings list only UTF-8 labels; its runtime decodes latin1 too.
    return Reflect.construct(TextDecoder, ['latin1']);
  } catch {
    return null;
  }
}

/** Finds `needle` by its rarest byte in HTML (`:` or `!` when it has one), checking each hit. */
function findBytes(bytes: Uint8Array, needle: string, from: number): number {
  if (needle.length === 1) return bytes.indexOf(needle.charCodeAt(0), from);
  const anchor = anchorOf(needle);
  const code = needle.charCodeAt(anchor);
  for (let at = bytes.indexOf(code, from + anchor); at !== -1; at = bytes.indexOf(code, at + 1)) {
    const start = at - anchor;
    if (start + needle.length > bytes.length) return -1;
    if (startsWith(bytes, start, needle)) return start;
  }
  return -1;
}

function anchorOf(needle: string): number {
  const colon = needle.indexOf(':');
  if (colon !== -1) return colon;
  const bang = needle.indexOf('!');
  return bang === -1 ? 0 : bang;
}

function startsWith(bytes: Uint8Array, at: number, needle: string): boolean {
  for (let k = 0; k < needle.length; k++) if (bytes[at + k] !== needle.charCodeAt(k)) return false;
  return true;
}

/** Inside the Wasm guest only native string search is fast; on V8 typed-array search is. */
export function chunkViewsFor(runtime: 'fastly' | 'node'): ChunkViews {
  return runtime === 'fastly' ? latin1Views : byteViews;
}
