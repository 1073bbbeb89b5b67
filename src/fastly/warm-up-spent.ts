/**
 * Buffers the build-time warm-up (warm-up.ts) made and dropped: zeroed once it is done. The snapshot
 * (Wizer) keeps every non-zero byte of linear memory, and a dropped buffer's memory is freed by the
 * GC that runs just before it, after the warm-up, so it kept its last content: the sample bodies,
 * the warm-up cache's copies of them. Zeroed, those bytes leave the module's data.
 */
const spent: Uint8Array[] = [];

/** `bytes`, to be zeroed when the warm-up ends (it must not be read after that). */
export function spentLater<T extends Uint8Array>(bytes: T): T {
  spent.push(bytes);
  return bytes;
}

/** Zeroes every buffer handed to `spentLater` since the last call and forgets them. */
export function zeroSpent(): void {
  for (const bytes of spent) bytes.fill(0);
  spent.length = 0;
}
