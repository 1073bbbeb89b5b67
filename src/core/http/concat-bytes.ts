/** Joins byte chunks into one fresh array (always a copy, so the result owns its memory). */
export function concatBytes(parts: readonly Uint8Array[], length = totalLength(parts)): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  let offset = 0;
  // Indexed loops: in the Wasm guest a `for…of` runs the engine's self-hosted iterator.
  for (let i = 0; i < parts.length; i++) {
    out.set(parts[i]!, offset);
    offset += parts[i]!.byteLength;
  }
  return out;
}

function totalLength(parts: readonly Uint8Array[]): number {
  let total = 0;
  for (let i = 0; i < parts.length; i++) total += parts[i]!.byteLength;
  return total;
}
