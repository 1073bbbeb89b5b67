/**
 * Buffers the build-time warm-up (warm-up.ts) made and dropped: zeroed once it is done. The snapshot
 * (Wizer) keeps every non-zero byte of linear memory, and a dropped buffer's memory is freed by the
 * GC that runs just before it, after the warm-up, so it kept its last content: the sample bodies,
 * the warm-up cache's copies of them. Zeroed, those bytes leave the module's data. Then the large
 * free blocks and the GC nursery are overwritten with NUL strings: on the Node host a fresh
 * instance pays for each 4 KB page the snapshot touches (~1.5 µs), not for the memory's size.
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

/** Bytes of one zeroed block: free blocks at least this large are taken over (192 KB measured best of 32 KB–1 MB). */
const FREE_BLOCK = 192 * 1024;
/** Blocks held at once: the free blocks that large add up to less (the rest come from fresh memory, which stays zero). */
const FREE_BLOCKS = 8;

/**
 * Overwrites the allocator's large free blocks with zeros. The script's compilation and the
 * warm-up free blocks of hundreds of KB (parser arenas, buffers) whose bytes the snapshot keeps:
 * strings of NUL characters that big are allocated outside the GC heap, take those blocks first,
 * all held at once so each takes a different one, then die with the next minor GC; a block freed
 * again keeps only the allocator's header bytes at its start.
 */
export function zeroFreeBlocks(): number {
  const zeros = new Uint8Array(FREE_BLOCK);
  const decoder = new TextDecoder();
  const held: string[] = [];
  for (let i = 0; i < FREE_BLOCKS; i++) held.push(decoder.decode(zeros));
  let total = 0;
  for (let i = 0; i < held.length; i++) total += held[i]!.length;
  return total;
}

/** Characters of one zeroed string: its characters stay inside the nursery (under ~1 KB). */
const BLOCK = 960;
/** Strings for twice the largest nursery seen in a snapshot (~1 MB): it is overwritten whole at least once. */
const BLOCKS = 2200;

/**
 * Fills the GC nursery with strings of NUL characters that die at once. The nursery is reused from
 * its start after each minor GC and holds the last objects the warm-up made when the snapshot is
 * taken (the GC before it moves the live ones out but leaves the bytes); these leave little but
 * their headers there instead. Run it last: whatever is made after it stays.
 */
export function zeroNursery(): number {
  const zeros = new Uint8Array(BLOCK);
  const decoder = new TextDecoder();
  let total = 0;
  for (let i = 0; i < BLOCKS; i++) total += decoder.decode(zeros).length;
  return total;
}
