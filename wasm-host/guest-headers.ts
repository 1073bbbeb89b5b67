/**
 * Header lists of guest requests and responses, and the ABI's cursor-based "multi value" listing
 * used by `header_names_get`/`header_values_get`: NUL-terminated items written while they fit,
 * `ending_cursor` = the next index or -1 when done (Viceroy multi_value_result).
 */
import { Status } from './abi.ts';
import type { GuestMemory } from './guest-memory.ts';

/** Header names lowercased, values as latin1 text so every byte survives (also the wire form, rpc-messages.ts). */
export type HeaderPairs = [string, string][];

/**
 * Names lowercased; values kept as latin1 text (one char per byte). Indexed loops and no array
 * destructuring: these run in ~70 hostcalls a page, mostly once per instance, where the iterator
 * protocol of `for (const [n, v] of …)` is a slow path each time.
 */
export class HeaderList {
  /** Set once `pairs()` handed the array out: the next change copies it first, so that snapshot never changes. */
  private shared = false;

  constructor(private entries: HeaderPairs = []) {}

  names(): string[] {
    return [...new Set(this.entries.map(([name]) => name))];
  }

  values(name: string): string[] {
    const lower = name.toLowerCase();
    const { entries } = this;
    const found: string[] = [];
    for (let i = 0; i < entries.length; i++) if (entries[i]![0] === lower) found.push(entries[i]![1]);
    return found;
  }

  /** The first value of `name` (lowercase), without building the list of all of them. */
  first(lower: string): string | undefined {
    const { entries } = this;
    for (let i = 0; i < entries.length; i++) if (entries[i]![0] === lower) return entries[i]![1];
    return undefined;
  }

  insert(name: string, value: string): void {
    const lower = name.toLowerCase();
    this.remove(lower);
    this.own().push([lower, value]);
  }

  append(name: string, value: string): void {
    this.own().push([name.toLowerCase(), value]);
  }

  /** False when the header was absent (the ABI then answers `inval`). */
  remove(name: string): boolean {
    const lower = name.toLowerCase();
    if (this.first(lower) === undefined) return false;
    this.entries = this.entries.filter((pair) => pair[0] !== lower);
    this.shared = false;
    return true;
  }

  /**
   * The pairs as they are now, a snapshot that later changes to the list never touch (a handle keeps
   * what it had at lookup time). Not a copy: the array is copied only if the list changes after it
   * (the pairs themselves are never changed in place). Callers never change it either.
   */
  pairs(): HeaderPairs {
    this.shared = true;
    return this.entries;
  }

  /**
   * The pairs themselves, not a copy, for a message posted at once (postMessage clones them) or
   * read right away; never kept, since later hostcalls change them.
   */
  view(): HeaderPairs {
    return this.entries;
  }

  /** The entries, copied first when a snapshot of them was handed out. */
  private own(): HeaderPairs {
    if (this.shared) {
      this.entries = this.entries.slice();
      this.shared = false;
    }
    return this.entries;
  }
}

export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('latin1');
}

export function fromLatin1(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'latin1'));
}

/** Writes items from `cursor` on, NUL-terminated, into `buf` (len `bufLen`). */
export function writeMultiValue(
  memory: GuestMemory,
  items: readonly string[],
  buf: number,
  bufLen: number,
  cursor: number,
  endingCursorPtr: number,
  nwrittenPtr: number,
): number {
  let offset = 0;
  let index = cursor;
  while (index < items.length) {
    // Latin1 text is one byte per char, so its length is its size: no bytes made to measure it, and
    // no string made to add the NUL.
    const item = items[index] ?? '';
    const size = item.length + 1;
    if (offset + size > bufLen) {
      if (offset === 0) {
        memory.u32(nwrittenPtr, size);
        return Status.buflen;
      }
      break;
    }
    memory.writeLatin1(buf + offset, item);
    memory.u8(buf + offset + item.length, 0);
    offset += size;
    index += 1;
  }
  memory.i64(endingCursorPtr, index < items.length ? index : -1);
  memory.u32(nwrittenPtr, offset);
  return Status.ok;
}

/** Writes one latin1 value if it fits; otherwise `buflen` with the needed size in `nwritten`. */
export function writeLatin1Value(memory: GuestMemory, text: string, buf: number, bufLen: number, nwrittenPtr: number): number {
  memory.u32(nwrittenPtr, text.length);
  if (text.length > bufLen) return Status.buflen;
  memory.writeLatin1(buf, text);
  return Status.ok;
}

/** Writes one value if it fits; otherwise `buflen` with the needed size in `nwritten`. */
export function writeValue(memory: GuestMemory, bytes: Uint8Array, buf: number, bufLen: number, nwrittenPtr: number): number {
  memory.u32(nwrittenPtr, bytes.byteLength);
  if (bytes.byteLength > bufLen) return Status.buflen;
  memory.write(buf, bytes);
  return Status.ok;
}
