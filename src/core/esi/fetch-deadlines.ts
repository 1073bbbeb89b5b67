/**
 * One timer for every fragment fetch of a page: it is armed for the earliest deadline of the
 * fetches still pending and re-armed for the next when it fires, so a page whose includes share a
 * timeout starts one timer, not a `setTimeout`/`clearTimeout` pair per fetch (inside the Wasm
 * guest each costs the interpreter). Each fetch still times out at its own deadline.
 *
 * Functions over fields of the page's fetches (shared-fetches.ts), not an object of their own: on a
 * fresh instance every object made and constructor run per page costs.
 */
import { TIMED_OUT, type TimedOut } from '../backend/deadline.ts';
import { Later } from '../later.ts';

/** A value to come, set by its work or by the timer at `endsAt` (on the `now` clock), whichever is first. */
export interface Bounded<T> {
  settled: Later<T | TimedOut>;
  endsAt: number;
}

/** The timer's state, kept on its owner. */
export interface Deadlines<T> {
  /** Fetches tracked and not yet settled (settled ones are dropped when the timer fires). */
  pending: Array<Bounded<T>>;
  unsettled: number;
  timer: ReturnType<typeof setTimeout> | null;
  /** The deadline the timer is armed for; Infinity when none is. */
  timerAt: number;
  readonly options: { now: () => number };
}

/** Times `bounded` out at its `endsAt` unless `settleBounded` comes first; `now` is the caller's clock reading. */
export function track<T>(deadlines: Deadlines<T>, bounded: Bounded<T>, now: number): void {
  deadlines.pending.push(bounded);
  deadlines.unsettled++;
  if (bounded.endsAt < deadlines.timerAt) arm(deadlines, bounded.endsAt, now);
}

/** Sets the value unless its deadline came first. */
export function settleBounded<T>(deadlines: Deadlines<T>, bounded: Bounded<T>, value: T | TimedOut): void {
  if (bounded.settled.done) return;
  bounded.settled.set(value);
  // The last fetch in flight: nothing is left for the timer to bound.
  if (--deadlines.unsettled === 0 && deadlines.timer !== null) {
    clearTimeout(deadlines.timer);
    deadlines.timer = null;
    deadlines.timerAt = Number.POSITIVE_INFINITY;
  }
}

function arm<T>(deadlines: Deadlines<T>, at: number, now: number): void {
  if (deadlines.timer !== null) clearTimeout(deadlines.timer);
  deadlines.timerAt = at;
  // The state as the timer's argument: no closure per arming.
  deadlines.timer = setTimeout(expire, at - now, deadlines);
}

/**
 * Times out every pending value whose deadline has come, then re-arms for the next. The one the
 * timer was armed for times out whatever the clock says (a timer fires on the runtime's clock).
 */
function expire<T>(deadlines: Deadlines<T>): void {
  const limit = Math.max(deadlines.timerAt, deadlines.options.now());
  deadlines.timer = null;
  deadlines.timerAt = Number.POSITIVE_INFINITY;
  const left: Array<Bounded<T>> = [];
  let next = Number.POSITIVE_INFINITY;
  for (let i = 0; i < deadlines.pending.length; i++) {
    const bounded = deadlines.pending[i]!;
    if (bounded.settled.done) continue;
    if (bounded.endsAt <= limit) {
      settleBounded(deadlines, bounded, TIMED_OUT);
      continue;
    }
    left.push(bounded);
    next = Math.min(next, bounded.endsAt);
  }
  deadlines.pending = left;
  if (left.length > 0) arm(deadlines, next, limit);
}

/** The work's value, or TIMED_OUT once `timeoutMs` have passed: a timer and a listener, no promise (an include whose deadline is earlier than its shared fetch's). */
export function bounded<T>(work: Later<T | TimedOut>, timeoutMs: number): Later<T | TimedOut> {
  const out = new Later<T | TimedOut>();
  const timer = setTimeout(() => out.set(TIMED_OUT), timeoutMs);
  work.on((result) => {
    clearTimeout(timer);
    out.set(result);
  });
  return out;
}
