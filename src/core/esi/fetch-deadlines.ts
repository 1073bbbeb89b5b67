/**
 * One timer for every fragment fetch of a page: it is armed for the earliest deadline of the
 * fetches still pending and re-armed for the next when it fires, so a page whose includes share a
 * timeout starts one timer, not a `setTimeout`/`clearTimeout` pair per fetch (inside the Wasm
 * guest each costs the interpreter). Each fetch still times out at its own deadline.
 */
import { TIMED_OUT, type TimedOut } from '../backend/deadline.ts';
import type { Later } from '../later.ts';

/** A value to come, set by its work or by the timer at `endsAt` (on the `now` clock), whichever is first. */
export interface Bounded<T> {
  settled: Later<T | TimedOut>;
  endsAt: number;
}

export class FetchDeadlines<T> {
  /** Fetches tracked and not yet settled (settled ones are dropped when the timer fires). */
  private pending: Array<Bounded<T>> = [];
  private unsettled = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** The deadline the timer is armed for; Infinity when none is. */
  private timerAt = Number.POSITIVE_INFINITY;

  constructor(private readonly now: () => number) {}

  /** Times `bounded` out at its `endsAt` unless `settle` comes first; `now` is the caller's clock reading. */
  track(bounded: Bounded<T>, now: number): void {
    this.pending.push(bounded);
    this.unsettled++;
    if (bounded.endsAt < this.timerAt) this.arm(bounded.endsAt, now);
  }

  /** Sets the value unless its deadline came first. */
  settle(bounded: Bounded<T>, value: T | TimedOut): void {
    if (bounded.settled.done) return;
    bounded.settled.set(value);
    // The last fetch in flight: nothing is left for the timer to bound.
    if (--this.unsettled === 0 && this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
      this.timerAt = Number.POSITIVE_INFINITY;
    }
  }

  private arm(at: number, now: number): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(this.expire, at - now);
  }

  /**
   * Times out every pending value whose deadline has come, then re-arms for the next. The one the
   * timer was armed for times out whatever the clock says (a timer fires on the runtime's clock).
   */
  private readonly expire = (): void => {
    const limit = Math.max(this.timerAt, this.now());
    this.timer = null;
    this.timerAt = Number.POSITIVE_INFINITY;
    const left: Array<Bounded<T>> = [];
    let next = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.pending.length; i++) {
      const bounded = this.pending[i]!;
      if (bounded.settled.done) continue;
      if (bounded.endsAt <= limit) {
        this.settle(bounded, TIMED_OUT);
        continue;
      }
      left.push(bounded);
      next = Math.min(next, bounded.endsAt);
    }
    this.pending = left;
    if (left.length > 0) this.arm(next, limit);
  };
}
