/**
 * The store's side of the cells workers answer fresh HTTP cache hits from (http-cache-hits.ts):
 * which stored object owns which cell, and under which key, so the workers' touches replay as
 * LRU moves of the right keys before each store operation; and the store's LRU, which tells it of
 * every object that leaves (replaced, deleted or evicted), so that object's cell is released.
 */
import { ByteLru } from '../src/local-platform/byte-lru.ts';
import type { KeptObject } from './http-cache-objects.ts';
import type { HttpCacheHits } from './http-cache-hits.ts';

export class StoreCells<S extends object> {
  private readonly cells = new WeakMap<S, number>();
  private readonly keys = new Map<number, string>();

  constructor(
    private readonly hits: HttpCacheHits,
    /** Marks `key` most recently used, as a hit the store answered would have. */
    private readonly touch: (key: string) => void,
  ) {}

  /** Runs a store operation under the workers' lock, after their hits so far, in order. */
  exclusive<T>(op: () => T): T {
    return this.hits.exclusive((cell) => {
      const key = this.keys.get(cell);
      if (key !== undefined) this.touch(key);
    }, op);
  }

  /** A cell for an object just stored under `key` (none when all are taken: the store then answers it alone). */
  give(object: S, key: string): void {
    const given = this.hits.allocate();
    if (!given) return;
    this.cells.set(object, given.cell);
    this.keys.set(given.cell, key);
  }

  /** The object left the store: no worker answers for it any more. */
  forget(object: S): void {
    const cell = this.cells.get(object);
    if (cell === undefined) return;
    this.hits.release(cell);
    this.cells.delete(object);
    this.keys.delete(cell);
  }

  /** The object changed in place (a soft purge shortened its life): what workers kept no longer holds. */
  changed(object: S): void {
    const cell = this.cells.get(object);
    if (cell !== undefined) this.hits.bump(cell);
  }

  /** The object's hit count, or undefined when it has no cell (the store keeps its count itself). */
  hitsOf(object: S): number | undefined {
    const cell = this.cells.get(object);
    return cell === undefined ? undefined : this.hits.hits(cell);
  }

  /** Counts a hit the store answered; false when the object has no cell. */
  countHit(object: S): boolean {
    const cell = this.cells.get(object);
    if (cell === undefined) return false;
    this.hits.countHit(cell);
    return true;
  }

  /** What a worker needs to answer the object's next fresh hits itself. */
  kept(object: S, storedAt: number): KeptObject | undefined {
    const cell = this.cells.get(object);
    return cell === undefined ? undefined : { cell, gen: this.hits.gen(cell), storedAt };
  }
}

/** The store's LRU, telling `removed` of every slot that leaves it (replaced, deleted or evicted). */
export class TrackedLru<V> extends ByteLru<V> {
  constructor(
    maxBytes: number,
    private readonly removed: (value: V) => void,
  ) {
    super(maxBytes);
  }

  override delete(key: string): void {
    const value = this.peek(key);
    if (value !== undefined) this.removed(value);
    super.delete(key);
  }
}
