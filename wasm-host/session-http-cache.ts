/**
 * One guest instance's HTTP cache fill obligations as the main thread tracks them: a lookup that
 * must insert or update holds a token until the guest inserts, updates, records a pass or releases
 * it. Whatever it still holds when it ends is released, so no other instance waits forever.
 */
import type { GuestHttpCache } from './guest-http-cache.ts';
import type { HttpCacheLookup } from './http-cache-objects.ts';
import type { GuestPost, HeaderPairs } from './rpc-messages.ts';

type Settles = Extract<GuestPost, { op: 'http-cache-insert' | 'http-cache-update' | 'http-cache-pass' | 'http-cache-release' }>;

export class SessionHttpCache {
  private readonly held = new Set<number>();

  constructor(private readonly store: GuestHttpCache) {}

  lookup(key: string, headers: HeaderPairs, answer: (found: HttpCacheLookup) => void): void {
    void this.store.lookup(key, headers).then((found) => {
      if (found.token !== null) this.held.add(found.token);
      answer(found);
    });
  }

  /** The guest settles an obligation it held. */
  settle(message: Settles): void {
    this.held.delete(message.token);
    switch (message.op) {
      case 'http-cache-insert':
        return this.store.insert(message.token, message.key, message.requestHeaders, message.response, message.write);
      case 'http-cache-update':
        return this.store.update(message.token, message.key, message.requestHeaders, message.head, message.write);
      case 'http-cache-pass':
        return this.store.recordPass(message.token, message.key, message.requestHeaders, message.maxAgeMs);
      case 'http-cache-release':
        return this.store.release(message.token);
    }
  }

  releaseAll(): void {
    for (const token of this.held) this.store.release(token);
    this.held.clear();
  }
}
