/**
 * A wall-clock budget shared by every step of one backend call. Compute has no AbortSignal on
 * fetch (js-compute-runtime #1289), so each step races the budget's timer and loses nothing but time.
 */

export const TIMED_OUT: unique symbol = Symbol('timed-out');
export type TimedOut = typeof TIMED_OUT;

export interface Deadline {
  /** Resolves with the work's value, or TIMED_OUT once the budget is spent, whichever comes first. */
  race<T>(work: Promise<T>): Promise<T | TimedOut>;
  /** True once the budget is spent. */
  readonly expired: boolean;
  /** Stops the timer; call it on every path once the work is settled or abandoned. */
  clear(): void;
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
