/**
 * A wall-clock budget shared by every step of one backend call. Compute has no AbortSignal on
 * fetch (js-compute-runtime #1289), so each step races the budget's timer and loses nothing but time.
 */

export const TIMED_OUT: unique symbol = Symbol('timed-out');
export type TimedOut = typeof TIMED_OUT;

export interface Deadline {
  /**
   * Resolves with the work's value, or TIMED_OUT once the budget is spent, whichever comes first.
   * A watched deadline (`watch` set) returns the work itself: check `expired` when it settles.
   */
  race<T>(work: Promise<T>): Promise<T | TimedOut>;
  /** True once the budget is spent. */
  readonly expired: boolean;
  /** Stops the timer; call it on every path once the work is settled or abandoned. */
  clear(): void;
  /**
   * Set on a deadline whose timer its owner runs (deadlineOf): runs `abandon` once the budget is
   * spent, so a body read in flight can be cancelled without racing the read.
   */
  readonly watch?: (abandon: () => void) => void;
}

export function startDeadline(budgetMs: number): Deadline {
  let expired = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const reached = new Promise<TimedOut>((resolve) => {
    timer = setTimeout(() => {
      expired = true;
      resolve(TIMED_OUT);
    }, budgetMs);
  });
  return {
    race<T>(work: Promise<T>): Promise<T | TimedOut> {
      if (expired) {
        // The abandoned work may still reject later: observe it so it never becomes unhandled.
        void work.catch(() => undefined);
        return Promise.resolve(TIMED_OUT);
      }
      // Promise.race subscribes to `work`, which observes a later rejection too; no extra `catch`
      // promise (each promise costs ~10 µs in the Wasm guest).
      return Promise.race([work, reached]);
    },
    get expired() {
      return expired;
    },
    clear() {
      clearTimeout(timer);
    },
  };
}

/** No budget of our own: the work settles when the backend's own timeouts say so. */
export const NO_DEADLINE: Deadline = Object.freeze({
  race: <T>(work: Promise<T>) => work,
  expired: false,
  clear: () => undefined,
});

/** What deadlineOf watches: a value set once, by the work or by its owner's timer (core/later.ts's `Later`). */
export interface Settling {
  readonly done: boolean;
  readonly value: unknown;
  on(listener: (value: unknown) => void): void;
}

/**
 * A budget someone else's timer already bounds (the page's one timer for all its fragment fetches):
 * spent once `settling` is set to TIMED_OUT. It arms no timer and races nothing, since in the Wasm
 * guest a timer and its clearing cost three clock reads and each race a promise and two reactions:
 * the call checks `expired` when the response arrives, and a body read is cancelled through `watch`.
 * A class, not an object literal: its methods are made once, not four closures per fetch.
 */
class WatchedDeadline implements Deadline {
  constructor(private readonly settling: Settling) {}

  race<T>(work: Promise<T>): Promise<T | TimedOut> {
    if (!this.expired) return work;
    void work.catch(() => undefined);
    return Promise.resolve(TIMED_OUT);
  }

  get expired(): boolean {
    return this.settling.done && this.settling.value === TIMED_OUT;
  }

  clear(): void {}

  watch(abandon: () => void): void {
    this.settling.on((value) => {
      if (value === TIMED_OUT) abandon();
    });
  }
}

export function deadlineOf(settling: Settling): Deadline {
  return new WatchedDeadline(settling);
}
