/**
 * Which core cache keys may be in the store, shared by the main thread and every guest worker, so
 * a worker answers a `fastly_cache.lookup` of a key that was never stored without the blocking
 * round trip (~6–20 µs of the worker's CPU hot, 40–80 µs in a page: the futex sleep and wake-up).
 * Demo pages miss most of their core lookups (the template's `Vary` record, the page cache; the
 * template breaker, read only when a template misses the readthrough cache).
 *
 * Exact, not a guess: a Bloom filter over a SharedArrayBuffer whose bits are only ever set. Every
 * key is marked before it can be stored: the main thread marks each insert into the store
 * (`markingInserts`), and a worker marks a key before it posts an insert or starts a transaction on
 * it, since the main thread handles a worker's posts in order, before that worker's later lookup.
 * So a key the filter has never seen is not in the store when the lookup would have been answered,
 * and a miss changes nothing there. A set bit (a stored, expired, purged or colliding key) takes
 * the round trip as before.
 */
import type { EdgeCache } from '../src/core/ports.ts';

/** 2^22 bits (512 KiB): two bits a key keep false positives under 0.1% up to ~60,000 keys. */
const BITS = 1 << 22;

export class KeyPresence {
  private readonly words: Int32Array;

  constructor(readonly shared: SharedArrayBuffer = new SharedArrayBuffer(BITS / 8)) {
    this.words = new Int32Array(shared);
  }

  mark(key: string): void {
    const [a, b] = bitsOf(key, this.words.length * 32);
    Atomics.or(this.words, a >>> 5, 1 << (a & 31));
    Atomics.or(this.words, b >>> 5, 1 << (b & 31));
  }

  /** False only for a key never marked (so never stored). */
  mayHold(key: string): boolean {
    const [a, b] = bitsOf(key, this.words.length * 32);
    return (Atomics.load(this.words, a >>> 5) & (1 << (a & 31))) !== 0 && (Atomics.load(this.words, b >>> 5) & (1 << (b & 31))) !== 0;
  }
}

/** Two bit positions from two FNV-1a hashes (different offsets) of the key's UTF-16 code units. */
function bitsOf(key: string, bits: number): [number, number] {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return [(h1 >>> 0) % bits, ((h2 ^ (h2 >>> 15)) >>> 0) % bits];
}

/** `cache`, marking every key before anything can be stored under it. */
export function markingInserts(cache: EdgeCache, presence: KeyPresence): EdgeCache {
  return {
    lookup: (key) => cache.lookup(key),
    lookupOrFill: (key, waitMs) => {
      presence.mark(key);
      return cache.lookupOrFill(key, waitMs);
    },
    insert: (key, body, options) => {
      presence.mark(key);
      return cache.insert(key, body, options);
    },
    purgeSurrogateKey: (key) => cache.purgeSurrogateKey(key),
  };
}
