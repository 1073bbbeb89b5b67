/**
 * What lets a guest worker answer a fresh HTTP cache hit without the blocking round trip to the
 * main thread's store (guest-http-cache.ts), exactly: shared memory the store and every worker see.
 * Each stored object may own a cell: a generation the store bumps whenever the object's slot
 * changes (replaced, purged, evicted, its lifetime shortened) and the object's hit count, which
 * lives only here. A worker that kept the object from an earlier answer checks the generation and
 * counts its hit under a lock it only ever tries to take (busy, or a changed generation: it asks
 * the store as before), and appends the cell to a ring of touches. The store takes the lock for each
 * of its own operations and first replays the ring in order, so the LRU order is the order of the
 * hits, wherever they were answered. A hit answered here is the one the store would have answered.
 */

const LOCK = 0;
const RING_LENGTH = 1;
const RING = 2;
/** Touches a worker may leave before the store's next operation replays them; when full, a worker asks. */
const RING_SIZE = 1024;
const CELLS_AT = RING + RING_SIZE;
/** Objects with a cell at once; further objects have none and are answered by the store only. */
export const CELL_COUNT = 8192;

export class HttpCacheHits {
  private readonly words: Int32Array;
  /** The store's free cells (the store's side only). */
  private free: number[] | null = null;

  constructor(readonly shared: SharedArrayBuffer = new SharedArrayBuffer((CELLS_AT + 2 * CELL_COUNT) * 4)) {
    this.words = new Int32Array(shared);
  }

  /** The clock's reading at the last hit `tryHit` counted, taken under the lock. */
  at = 0;

  /**
   * A worker's hit on `cell` as of generation `gen`, if `now()` (read under the lock, kept in `at`)
   * is before `freshUntil` and the `Vary` marker that led to it (cell `marker`, -1 for none) is still
   * at `markerGen`: the hit count before it, or null when the lock is busy, the object or marker
   * changed since, it is no longer fresh, or the ring is full (then the store must answer).
   */
  tryHit(cell: number, gen: number, freshUntil: number, now: () => number, marker = -1, markerGen = 0): number | null {
    const { words } = this;
    if (Atomics.compareExchange(words, LOCK, 0, 1) !== 0) return null;
    const length = words[RING_LENGTH]!;
    const at = now();
    let hits: number | null = null;
    const sameMarker = marker < 0 || words[CELLS_AT + 2 * marker] === markerGen;
    if (words[CELLS_AT + 2 * cell] === gen && sameMarker && length < RING_SIZE && at < freshUntil) {
      hits = words[CELLS_AT + 2 * cell + 1]!;
      words[CELLS_AT + 2 * cell + 1] = hits + 1;
      words[RING + length] = cell;
      words[RING_LENGTH] = length + 1;
      this.at = at;
    }
    // No notify: the store polls a held lock (it is held for well under a microsecond).
    Atomics.store(words, LOCK, 0);
    return hits;
  }

  /** The store's side: runs `op` holding the lock, after replaying the workers' touches in order. */
  exclusive<T>(touched: (cell: number) => void, op: () => T): T {
    const { words } = this;
    // A worker holds the lock for well under a microsecond: one that held it for a second was terminated in it.
    for (let polls = 0; Atomics.compareExchange(words, LOCK, 0, 1) !== 0 && polls < 50_000; polls++) Atomics.wait(words, LOCK, 1, 0.02);
    try {
      const length = words[RING_LENGTH]!;
      for (let i = 0; i < length; i++) touched(words[RING + i]!);
      words[RING_LENGTH] = 0;
      return op();
    } finally {
      Atomics.store(words, LOCK, 0);
    }
  }

  /** A cell for a new object (hits 0) and its generation, or null when all are taken. Store side, under the lock. */
  allocate(): { cell: number; gen: number } | null {
    this.free ??= Array.from({ length: CELL_COUNT }, (_, i) => CELL_COUNT - 1 - i);
    const cell = this.free.pop();
    if (cell === undefined) return null;
    this.words[CELLS_AT + 2 * cell + 1] = 0;
    return { cell, gen: this.words[CELLS_AT + 2 * cell]! };
  }

  /** The object changed: answers kept by workers no longer hold. Store side, under the lock. */
  bump(cell: number): number {
    const gen = (this.words[CELLS_AT + 2 * cell]! + 1) | 0;
    this.words[CELLS_AT + 2 * cell] = gen;
    return gen;
  }

  /** The object left the store: its cell is free again, under a new generation. Store side, under the lock. */
  release(cell: number): void {
    this.bump(cell);
    this.free?.push(cell);
  }

  /** The hit count, then one more for a hit the store answers itself. Store side, under the lock. */
  countHit(cell: number): number {
    const hits = this.words[CELLS_AT + 2 * cell + 1]!;
    this.words[CELLS_AT + 2 * cell + 1] = hits + 1;
    return hits;
  }

  gen(cell: number): number {
    return this.words[CELLS_AT + 2 * cell]!;
  }

  hits(cell: number): number {
    return this.words[CELLS_AT + 2 * cell + 1]!;
  }
}
