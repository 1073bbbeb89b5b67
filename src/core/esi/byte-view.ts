/**
 * The chunk view the ESI tokenizer uses on V8 (the Node host; see chunk-view.ts), where
 * `Uint8Array.prototype.indexOf` is a native memchr: needles are found by their rarest byte and
 * checked in place, and the bytes are never decoded outside tags.
 */
import type { ChunkViews } from './chunk-view.ts';

const utf8 = new TextDecoder();

export const byteViews: ChunkViews = (bytes) => ({
  bytes,
  find: (needle, from) => findBytes(bytes, needle, from),
  code: (i) => bytes[i] ?? 0,
  text: (from, to) => utf8.decode(bytes.subarray(from, to)),
});

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
