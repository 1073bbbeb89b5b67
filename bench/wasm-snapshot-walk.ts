/**
 * What a built module's Wizer snapshot holds, read from its bytes: section sizes, and the linear
 * memory its active data segments initialize. The Node host copies those segments into every fresh
 * instance, and its cost follows the 4 KB pages they touch more than their bytes: each page is
 * faulted in (~1.4 µs) while the worker makes the memory before the request, outside the instance's
 * vCPU, and the copy itself runs inside it. Compute maps them copy-on-write.
 */

/** An unsigned LEB128 at `at`: its value and where the next field starts. */
function leb(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  let byte: number;
  do {
    byte = bytes[at++]!;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
}

export interface Snapshot {
  /** Bytes of each section by name (`custom:NAME` for custom sections). */
  sections: Record<string, number>;
  /** The initial linear memory, with the active data segments applied. */
  memory: Uint8Array;
  segments: number;
}

const NAMES = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount', 'tag'];

/** Active segments with an `i32.const` offset, as Wizer writes them; other kinds are skipped. */
function applySegments(bytes: Uint8Array, at: number, memory: Uint8Array): number {
  let count: number;
  [count, at] = leb(bytes, at);
  for (let i = 0; i < count; i++) {
    let flag: number;
    let offset = 0;
    let length: number;
    [flag, at] = leb(bytes, at);
    if (flag === 2) [, at] = leb(bytes, at);
    if (flag !== 1) [offset, at] = leb(bytes, at + 1);
    if (flag !== 1) at++;
    [length, at] = leb(bytes, at);
    if (flag !== 1) memory.set(bytes.subarray(at, at + length), offset);
    at += length;
  }
  return count;
}

/** The module's sections and its snapshot memory (one defined memory, as js-compute-runtime builds). */
export function readSnapshot(bytes: Uint8Array): Snapshot {
  const sections: Record<string, number> = {};
  const spans: Array<[number, number, number]> = [];
  let pages = 0;
  for (let at = 8; at < bytes.length; ) {
    const id = bytes[at]!;
    const [size, start] = leb(bytes, at + 1);
    let name = NAMES[id] ?? `id${id}`;
    if (id === 0) {
      const [length, text] = leb(bytes, start);
      name = `custom:${new TextDecoder().decode(bytes.subarray(text, text + length))}`;
    }
    if (id === 5) pages = leb(bytes, start + 2)[0];
    spans.push([id, start, size]);
    sections[name] = (sections[name] ?? 0) + size;
    at = start + size;
  }
  const memory = new Uint8Array(pages * 65536);
  let segments = 0;
  for (const [id, start] of spans) if (id === 11) segments = applySegments(bytes, start, memory);
  return { sections, memory, segments };
}

/** Non-zero bytes of `memory`, and the `page`-byte pages holding any. */
export function touched(memory: Uint8Array, page = 4096): { bytes: number; pages: number } {
  let bytes = 0;
  let pages = 0;
  for (let from = 0; from < memory.length; from += page) {
    let any = false;
    for (let i = from; i < Math.min(from + page, memory.length); i++) {
      if (memory[i] !== 0) {
        bytes++;
        any = true;
      }
    }
    if (any) pages++;
  }
  return { bytes, pages };
}

/**
 * `touched` for each `region`-byte stretch of `memory` (1 MB: the GC's chunk size), to tell which
 * part of a snapshot grew: the GC nursery shows as a megabyte of pages holding few bytes each
 * (the warm-up's NUL strings, src/fastly/warm-up-spent.ts), whose size follows the GC's own sizing.
 */
export function touchedByRegion(memory: Uint8Array, region = 1 << 20): Array<{ bytes: number; pages: number }> {
  const out: Array<{ bytes: number; pages: number }> = [];
  for (let from = 0; from < memory.length; from += region) out.push(touched(memory.subarray(from, from + region)));
  return out;
}
