/**
 * Past the element cap, with no block open, every tag is dropped whatever it says: one native
 * split finds them all in the rest of the chunk, instead of a few interpreted calls per tag (a
 * 10,000-include template would otherwise cost the guest a large share of its CPU budget).
 */
import type { ChunkCursor } from './chunk-cursor.ts';
import { MAX_TAG_BYTES } from './esi-limits.ts';

const GT = 0x3e;
const SLASH = 0x2f;
/** `<esi:x>` is the shortest complete tag; shorter pieces are bare constructs. */
const SHORTEST_TAG = 7;

/** A piece of a tag split that is a whole tag (not a bare construct, not oversized). */
export function isCompleteTag(tag: string): boolean {
  return tag.length >= SHORTEST_TAG && tag.length <= MAX_TAG_BYTES && tag.charCodeAt(tag.length - 1) === GT;
}

/** An opening tag, among complete tags. */
export function isOpeningTag(tag: string): boolean {
  return tag.charCodeAt(1) !== SLASH;
}

/**
 * Drops complete tags from `from` on, gathering the text between them; stops before anything the
 * ordinary scan must judge (a bare or oversized construct, or the chunk's last text, which may end
 * in a cut-off construct). Returns where the ordinary scan continues; `from` when nothing was done.
 */
export function skimTags(cursor: ChunkCursor, from: number, dropped: (count: number) => void): number {
  const native = cursor.view.dropTags?.(from);
  if (native) {
    cursor.bytes(native.text);
    dropped(native.opening);
    return native.end;
  }
  const pieces = cursor.view.splitTags?.(from);
  if (pieces === undefined || pieces.length < 3) return from;
  let at = from;
  let count = 0;
  for (let i = 0; i + 1 < pieces.length; i += 2) {
    const text = pieces[i]!.length;
    const tag = pieces[i + 1]!;
    if (!isCompleteTag(tag)) {
      cursor.text(at, at + text);
      at += text;
      break;
    }
    cursor.text(at, at + text);
    at += text + tag.length;
    if (isOpeningTag(tag)) count++;
  }
  dropped(count);
  return at;
}
