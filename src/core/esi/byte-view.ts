/**
 * The chunk view the ESI tokenizer uses by default (see chunk-view.ts): needles are found by their
 * rarest byte in HTML with a one-byte search and checked in place, and the bytes are never decoded
 * outside tags. The one-byte search is the host's: `Uint8Array.prototype.indexOf` here, Node's
 * memchr-backed `Buffer` search on the Node host (src/node-host/buffer-views.ts).
 */
import type { ChunkView, ChunkViews } from './chunk-view.ts';

const utf8 = new TextDecoder();

/** Where `byte` first occurs in `bytes` at or after `from`; -1 when it does not. */
export type ByteSearch = (bytes: Uint8Array, byte: number, from: number) => number;

/** Views whose needles are found with `indexOf`, one byte at a time. */
export function viewsSearchingWith(indexOf: ByteSearch): ChunkViews {
  return (bytes) => new ByteView(bytes, indexOf);
}

/** A class, not an object of closures: a view is made per chunk, and methods cost nothing per instance. */
class ByteView implements ChunkView {
  constructor(
    readonly bytes: Uint8Array,
    private readonly indexOf: ByteSearch,
  ) {}

  find(needle: string, from: number): number {
    return findBytes(this.bytes, needle, from, this.indexOf);
  }

  code(i: number): number {
    return this.bytes[i] ?? 0;
  }

  text(from: number, to: number): string {
    return utf8.decode(this.bytes.subarray(from, to));
  }
}

export const byteViews: ChunkViews = viewsSearchingWith((bytes, byte, from) => bytes.indexOf(byte, from));

/** Finds `needle` by its rarest byte in HTML (`:` or `!` when it has one), checking each hit. */
function findBytes(bytes: Uint8Array, needle: string, from: number, indexOf: ByteSearch): number {
  if (needle.length === 1) return indexOf(bytes, needle.charCodeAt(0), from);
  const anchor = anchorOf(needle);
  const code = needle.charCodeAt(anchor);
  for (let at = indexOf(bytes, code, from + anchor); at !== -1; at = indexOf(bytes, code, at + 1)) {
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
