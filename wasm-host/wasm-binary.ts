/**
 * Just enough of the WebAssembly binary format to rewrite a module's sections (memory-import.ts):
 * LEB128 numbers and the section list.
 */

export interface Section {
  id: number;
  payload: Uint8Array;
}

/** An unsigned LEB128 number at `at`, and where the next field starts. */
export function leb(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    if (byte === undefined) throw new RangeError('truncated LEB128');
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

/** A signed LEB128 number (`i32.const` operands). */
export function signedLeb(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  let byte: number;
  do {
    byte = bytes[at++]!;
    value |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  return [shift < 32 && byte & 0x40 ? value | (-1 << shift) : value, at];
}

export function encodeLeb(value: number): number[] {
  const out: number[] = [];
  do {
    const low = value % 128;
    value = Math.floor(value / 128);
    out.push(value > 0 ? low | 0x80 : low);
  } while (value > 0);
  return out;
}

/** The sections after the 8-byte header, in order, each's payload a view into `bytes`. */
export function sections(bytes: Uint8Array): Section[] {
  const found: Section[] = [];
  for (let at = 8; at < bytes.length; ) {
    const id = bytes[at]!;
    const [size, start] = leb(bytes, at + 1);
    found.push({ id, payload: bytes.subarray(start, start + size) });
    at = start + size;
  }
  return found;
}
