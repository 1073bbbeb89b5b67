/**
 * The chunk view the ESI tokenizer uses inside the compiled Wasm guest (see chunk-view.ts): the
 * chunk decoded once with the WHATWG `latin1` decoder (really windows-1252), which maps every byte
 * to exactly one UTF-16 unit and leaves ASCII as is, so string offsets are byte offsets, searched
 * with `String.prototype` methods and regular expressions, which the runtime runs as native code.
 */
import { MAX_TAG_BYTES } from './esi-limits.ts';
import type { ChunkView, ChunkViews } from './chunk-view.ts';
import { byteViews } from './byte-view.ts';

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
