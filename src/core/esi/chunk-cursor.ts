/**
 * One chunk being tokenized: searches that remember their last answer, and the text between
 * tags gathered as byte ranges and emitted as few arrays as possible.
 *
 * Remembering answers keeps scanning linear when constructs are dense (each needle's search only
 * moves forward). Gathering ranges matters inside the Wasm guest, where every typed-array view
 * costs microseconds: an ESI-free chunk goes out as the chunk itself, text between two tokens as
 * one view, and the text around dropped tags (which emit no token) as one joined copy.
 */
import type { ChunkView } from './chunk-view.ts';

/** Every needle the tokenizer searches for, by index (`esi:` finds both `<esi:` and `</esi:`). */
export const NEEDLES = ['esi:', '<!--esi', '-->', '>', '"', "'"] as const;
export type Needle = 0 | 1 | 2 | 3 | 4 | 5;

export class ChunkCursor {
  // Literals rather than NEEDLES.map: every call counts in the guest's interpreter, once per chunk.
  private readonly searchedFrom: number[] = [Infinity, Infinity, Infinity, Infinity, Infinity, Infinity];
  private readonly foundAt: number[] = [-1, -1, -1, -1, -1, -1];
  /** Pending text as [from, to) pairs in this chunk. */
  private ranges: number[] = [];

  constructor(
    readonly view: ChunkView,
    private readonly emitText: (bytes: Uint8Array) => void,
  ) {}

  get length(): number {
    return this.view.bytes.length;
  }

  find(needle: Needle, from: number): number {
    const at = this.foundAt[needle]!;
    if (this.searchedFrom[needle]! <= from && (at === -1 || at >= from)) return at;
    const found = this.view.find(NEEDLES[needle], from);
    this.searchedFrom[needle] = from;
    this.foundAt[needle] = found;
    return found;
  }

  text(from: number, to: number): void {
    if (to <= from) return;
    const last = this.ranges.length - 1;
    if (last > 0 && this.ranges[last] === from) this.ranges[last] = to;
    else this.ranges.push(from, to);
  }

  /** Text that is not a range of this chunk (tags dropped from it): emitted after the pending text. */
  bytes(text: Uint8Array): void {
    this.flush();
    if (text.length > 0) this.emitText(text);
  }

  /** More text as [from, to) pairs of this chunk, in order and after the pending text (a run's, tag-runs.ts); `list` is kept. */
  addRanges(list: number[]): void {
    // One native call, not a call per range (a run keeps thousands).
    this.ranges = this.ranges.length === 0 ? list : this.ranges.concat(list);
  }

  /** Emits the pending text: call before any token, and when the chunk is done. */
  flush(): void {
    const ranges = this.ranges;
    if (ranges.length === 0) return;
    const bytes = this.view.bytes;
    if (ranges.length === 2) this.emitText(viewOf(bytes, ranges[0]!, ranges[1]!));
    else this.emitText(join(bytes, ranges));
    ranges.length = 0;
  }
}

/** Bytes `from` to `to` as a view: inside the guest `subarray` costs several times a constructor call (~5 µs against ~0.7). */
export function viewOf(bytes: Uint8Array, from: number, to: number): Uint8Array {
  if (from === 0 && to === bytes.length) return bytes;
  return new Uint8Array(bytes.buffer, bytes.byteOffset + from, to - from);
}

/**
 * A copy of bytes `from` to `to`: the typed array's constructor copies natively, where the guest runs
 * `slice` as self-hosted code, interpreted (300 bytes 0.6 µs against 3.8, bench/wasm-builtins.ts).
 */
export function copyOf(bytes: Uint8Array, from: number, to: number): Uint8Array {
  return new Uint8Array(viewOf(bytes, from, to));
}

/**
 * The ranges in one array: a copy of their span, each range moved into place with `copyWithin`
 * (inside the guest ~0.3 µs a range; the byte loop it replaces cost ~2.3 µs for 11 bytes and a
 * view with `set` ~0.9). When the gaps took most of the span, the text gets a copy of its own.
 */
function join(bytes: Uint8Array, ranges: readonly number[]): Uint8Array {
  const first = ranges[0]!;
  const out = copyOf(bytes, first, ranges[ranges.length - 1]!);
  let at = ranges[1]! - first;
  for (let r = 2; r < ranges.length; r += 2) {
    out.copyWithin(at, ranges[r]! - first, ranges[r + 1]! - first);
    at += ranges[r + 1]! - ranges[r]!;
  }
  return at * 2 < out.length ? copyOf(out, 0, at) : new Uint8Array(out.buffer, 0, at);
}
