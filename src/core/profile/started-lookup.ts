/**
 * A visitor's profile lookup under way, as the page step sees it (page-lookup.ts): whether it asks
 * anyone, and whether the page's decision waits on the profile store. The page fetches its
 * template beside a store call (a network wait up to the profile budget, issue #11 item 4), but
 * not beside an answer from the visitor's edge-cache entry, where a page keyed on the decision is
 * looked up with it first and a stored copy answers without a template to discard.
 *
 * The lookup (profile-client.ts) tells it as it goes, with plain fields and at most one callback:
 * no promise, since the usual lookup has answered from its entry before the page step asks (on
 * Compute a profile in the entry's metadata is read at once) and in the Wasm guest each promise job
 * costs ~10 µs.
 */
import type { ProfileLookup } from './profile-lookup.ts';

/**
 * `reading`: not known yet (the entry's read, or the breaker's, is under way); `calling`: the store
 * is being called and the decision waits on it; `answered`: the lookup has its answer.
 */
export type StoreWaitState = 'reading' | 'calling' | 'answered';

/** What the store's side is told: the page waits on this call (not a stale entry's refresh). */
export interface StoreCalling {
  calling(): void;
}

export class StartedLookup implements StoreCalling {
  /** The lookup answers at once when it asks no one (no consent, no usable id): from its id check. */
  readonly asks: boolean;
  /** Set by the lookup that made this (profile-client.ts `startLookup`). */
  profile!: Promise<ProfileLookup>;
  state: StoreWaitState = 'reading';
  private onCalling: (() => void) | null = null;

  constructor(asks: boolean) {
    this.asks = asks;
  }

  /** The store is about to be called with the page waiting: the page's `onCalling`, if one is waiting for it, runs now, once. (Not named `then`: an object with a `then` method is a thenable, and an `await` of it would call it.) */
  calling(): void {
    this.state = 'calling';
    const onCalling = this.onCalling;
    if (onCalling === null) return;
    this.onCalling = null;
    try {
      onCalling();
    } catch {
      // The page's work, started from here: its failure is the page's to see, never the lookup's.
    }
  }

  /** The lookup has its answer (the decision can go on): nothing waits for a store call any more. */
  answered(): void {
    this.state = 'answered';
    this.onCalling = null;
  }

  /** `then` once the store is called: now if it is, later if the lookup is still reading, never once answered. */
  whenCalling(then: () => void): void {
    if (this.state === 'calling') then();
    else if (this.state === 'reading') this.onCalling = then;
  }
}
