/** Joins byte chunks into one fresh array (always a copy, so the result owns its memory). */
export function concatBytes(parts: readonly Uint8Array[], length = totalLength(parts)): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

function totalLength(parts: readonly Uint8Array[]): number {
  let total = 0;
  for (const part of parts) total += part.byteLength;
  return total;
}
