/**
 * The two small scans of the tokenizer: the end of a tag (the first `>` outside quotes, found with
 * the chunk's native search, so a tag costs a few searches rather than a loop over its bytes), and
 * a construct cut off by the end of a chunk (at most its last six bytes are looked at).
 */
import type { ChunkView } from './chunk-view.ts';
import type { ChunkCursor, Needle } from './chunk-cursor.ts';

/** A tag being scanned: where it starts in this chunk (-1 when it began in an earlier one). */
export interface PendingTag {
  start: number;
  /** Copies of its bytes from earlier chunks. */
  saved: Uint8Array[];
  length: number;
  /** A closing tag: quotes mean nothing there. */
  close: boolean;
  /** The open quote character, 0 outside quotes. */
  quote: number;
}

const ESI: Needle = 0;
const GT: Needle = 3;
const DOUBLE: Needle = 4;
const SINGLE: Needle = 5;
const DOUBLE_QUOTE = 0x22;

/** The position of the tag's closing `>` before `limit`, or -1; updates the quote state. */
export function tagEnd(cursor: ChunkCursor, tag: PendingTag, from: number, limit: number): number {
  let i = from;
  while (i < limit) {
    if (tag.quote !== 0) {
      const closing = cursor.find(tag.quote === DOUBLE_QUOTE ? DOUBLE : SINGLE, i);
      if (closing === -1 || closing >= limit) return -1;
      tag.quote = 0;
      i = closing + 1;
      continue;
    }
    const gt = cursor.find(GT, i);
    const quote = tag.close ? -1 : earliest(cursor.find(DOUBLE, i), cursor.find(SINGLE, i));
    if (quote !== -1 && quote < limit && (gt === -1 || quote < gt)) {
      tag.quote = cursor.view.code(quote);
      i = quote + 1;
      continue;
    }
    return gt !== -1 && gt < limit ? gt : -1;
  }
  return -1;
}

/**
 * The next `<esi:` or `</esi:` at or after `from`: one search for their common `esi:` (its `:` is
 * rare in HTML, which the typed-array search anchors on), then a look at the bytes before it.
 */
export function findTagStart(cursor: ChunkCursor, from: number): number {
  for (let at = cursor.find(ESI, from + 1); at !== -1; at = cursor.find(ESI, at + 1)) {
    const before = cursor.view.code(at - 1);
    if (before === 0x3c && at - 1 >= from) return at - 1;
    if (before === 0x2f && at - 2 >= from && cursor.view.code(at - 2) === 0x3c) return at - 2;
  }
  return -1;
}

const LONGEST = '<!--esi'.length;

/** Where a trailing proper prefix of a construct (`<`, `<es`, `</esi`, `<!--e`, `--`…) starts, else the end. */
export function partialTail(view: ChunkView, from: number, inComment: boolean): number {
  const end = view.bytes.length;
  const start = Math.max(from, end - LONGEST + 1);
  // One native search usually settles it, instead of a call per trailing byte.
  if (view.find('<', start) === -1 && (!inComment || view.find('-', start) === -1)) return end;
  for (let at = start; at < end; at++) {
    const c = view.code(at);
    if (c === 0x3c) {
      if (isPrefix(view, at, '<esi:') || isPrefix(view, at, '</esi:') || (!inComment && isPrefix(view, at, '<!--esi'))) return at;
    } else if (c === 0x2d && inComment && isPrefix(view, at, '-->')) {
      return at;
    }
  }
  return end;
}

/** The bytes from `at` to the end are a proper prefix of `needle`. */
function isPrefix(view: ChunkView, at: number, needle: string): boolean {
  const rest = view.bytes.length - at;
  if (rest >= needle.length) return false;
  for (let k = 0; k < rest; k++) if (view.code(at + k) !== needle.charCodeAt(k)) return false;
  return true;
}

export function earliest(a: number, b: number): number {
  return a === -1 ? b : b === -1 ? a : Math.min(a, b);
}
