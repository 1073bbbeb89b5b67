/**
 * One guest instance's core cache transactions as the main thread tracks them: lookups started by
 * `transaction_lookup_async` (a busy handle the guest can select on, wait for or drop) and the
 * obligations to insert it holds. Whatever it still holds when it ends, or when it drops a busy
 * handle whose lookup later wins the obligation, is released, so no other instance waits forever.
 */
import type { EdgeCacheInsert } from '../src/core/ports.ts';
import type { CoreCacheTransaction, CoreCacheTransactions } from './guest-core-cache.ts';

export class SessionTransactions {
  /** Started lookups by busy-handle id: null until the store answers. */
  private readonly lookups = new Map<number, CoreCacheTransaction | null>();
  private readonly dropped = new Set<number>();
  private readonly held = new Set<number>();

  constructor(
    private readonly store: CoreCacheTransactions,
    /** Called when a lookup resolves, so a blocked select or wait can re-check. */
    private readonly changed: () => void,
  ) {}

  start(id: number, key: string): void {
    this.lookups.set(id, null);
    void this.store.lookup(key).then((found) => {
      if (this.dropped.delete(id)) {
        if (found.token !== null) this.store.release(found.token);
        return;
      }
      if (found.token !== null) this.held.add(found.token);
      this.lookups.set(id, found);
      this.changed();
    });
  }

  ready(id: number): boolean {
    return this.lookups.get(id) !== null;
  }

  /** The answer of a resolved lookup, once; an unknown id answers a miss with no obligation. */
  take(id: number): CoreCacheTransaction | null {
    if (!this.lookups.has(id)) return { found: false, token: null };
    const found = this.lookups.get(id) ?? null;
    if (found) this.lookups.delete(id);
    return found;
  }

  /** The guest dropped a busy handle it never waited on (`close_busy`, a timed-out `wait`). */
  closeBusy(id: number): void {
    const found = this.lookups.get(id);
    this.lookups.delete(id);
    if (found === null) this.dropped.add(id);
    else if (found?.token != null) this.release(found.token);
  }

  insert(token: number, body: Uint8Array, options: EdgeCacheInsert): void {
    this.held.delete(token);
    void this.store.insert(token, body, options);
  }

  release(token: number): void {
    this.held.delete(token);
    this.store.release(token);
  }

  releaseAll(): void {
    for (const token of this.held) this.store.release(token);
    this.held.clear();
    for (const [id, found] of this.lookups) if (found === null) this.dropped.add(id);
    this.lookups.clear();
  }
}
