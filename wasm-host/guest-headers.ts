/**
 * Header lists of guest requests and responses, and the ABI's cursor-based "multi value" listing
 * used by `header_names_get`/`header_values_get`: NUL-terminated items written while they fit,
 * `ending_cursor` = the next index or -1 when done (Viceroy multi_value_result).
 */
import { Status } from './abi.ts';
import type { GuestMemory } from './guest-memory.ts';

/** Header names lowercased, values as latin1 text so every byte survives (also the wire form, rpc-messages.ts). */
export type HeaderPairs = [string, string][];

/** Names lowercased; values kept as latin1 text (one char per byte). */
export class HeaderList {
  constructor(private entries: HeaderPairs = []) {}

  names(): string[] {
    return [...new Set(this.entries.map(([name]) => name))];
  }

  values(name: string): string[] {
    const lower = name.toLowerCase();
    const found: string[] = [];
    for (const [n, value] of this.entries) if (n === lower) found.push(value);
    return found;
  }

  /** The first value of `name` (lowercase), without building the list of all of them. */
  first(lower: string): string | undefined {
    for (const [n, value] of this.entries) if (n === lower) return value;
    return undefined;
  }

  insert(name: string, value: string): void {
    const lower = name.toLowerCase();
    this.remove(lower);
    this.entries.push([lower, value]);
  }

  append(name: string, value: string): void {
    this.entries.push([name.toLowerCase(), value]);
  }

  /** False when the header was absent (the ABI then answers `inval`). */
  remove(name: string): boolean {
    const lower = name.toLowerCase();
    if (!this.entries.some(([n]) => n === lower)) return false;
    this.entries = this.entries.filter(([n]) => n !== lower);
    return true;
  }

  pairs(): HeaderPairs {
    return this.entries.map(([name, value]) => [name, value]);
  }

  /**
   * The pairs themselves, not a copy, for a message posted at once (postMessage clones them) or
   * read right away; never kept, since later hostcalls change them.
   */
  view(): HeaderPairs {
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
    // Latin1 text is one byte per char, so its length is its size: no bytes made to measure it.
    const item = `${items[index] ?? ''}\0`;
    if (offset + item.length > bufLen) {
      if (offset === 0) {
        memory.u32(nwrittenPtr, item.length);
        return Status.buflen;
      }
      break;
    }
    memory.writeLatin1(buf + offset, item);
    offset += item.length;
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
