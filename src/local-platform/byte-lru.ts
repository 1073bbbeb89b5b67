/**
 * A least-recently-used map bounded by bytes rather than entries, with surrogate-key tags for
 * purging. Both the readthrough cache and the edge object cache store their objects in one.
 */

interface Slot<V> {
  value: V;
  bytes: number;
  tags: readonly string[];
}

export class ByteLru<V> {
  /** Map iteration order is insertion order: the first key is the least recently used. */
  private readonly slots = new Map<string, Slot<V>>();
  private readonly tagged = new Map<string, Set<string>>();
  private used = 0;

  constructor(readonly maxBytes: number) {}

  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.slots.size;
  }

  /** The value for `key`, marking it most recently used. */
  get(key: string): V | undefined {
    const slot = this.slots.get(key);
    if (!slot) return undefined;
    this.slots.delete(key);
    this.slots.set(key, slot);
    return slot.value;
  }

  /** The value for `key` without touching its recency. */
  peek(key: string): V | undefined {
    return this.slots.get(key)?.value;
  }

  /** The keys of every entry tagged with `tag`. */
  keysTagged(tag: string): string[] {
    return [...(this.tagged.get(tag) ?? [])];
  }

  has(key: string): boolean {
    return this.slots.has(key);
  }

  /** Stores `value`, evicting least recently used entries; false (and nothing stored) when it alone exceeds the cap. */
  set(key: string, value: V, bytes: number, tags: readonly string[] = []): boolean {
    this.delete(key);
    if (bytes > this.maxBytes) return false;
    while (this.used + bytes > this.maxBytes) {
      const oldest = this.slots.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
    this.slots.set(key, { value, bytes, tags });
    this.used += bytes;
    for (const tag of tags) {
      let keys = this.tagged.get(tag);
      if (!keys) this.tagged.set(tag, (keys = new Set()));
      keys.add(key);
    }
    return true;
  }

  delete(key: string): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    this.slots.delete(key);
    this.used -= slot.bytes;
    for (const tag of slot.tags) {
      const keys = this.tagged.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.tagged.delete(tag);
    }
  }

  /** Drops every entry tagged with `tag`; returns how many. */
  purgeTag(tag: string): number {
    const keys = this.keysTagged(tag);
    for (const key of keys) this.delete(key);
    return keys.length;
  }

  clear(): void {
    for (const key of [...this.slots.keys()]) this.delete(key);
  }
}

/** Rough in-memory size of a string key (UTF-16) plus per-entry bookkeeping. */
export function keyBytes(key: string): number {
  return key.length * 2 + 64;
}
