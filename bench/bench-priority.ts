/**
 * Raises the scheduling priority of the benchmark's guest threads, so other processes on the same
 * core preempt them less often.
 *
 * The guest figures are the worker thread's own CPU time, which leaves out time spent waiting for a
 * core but not what a preemption costs afterwards: the other process leaves the core's caches, TLB
 * and branch predictors full of its own state, and the guest (an interpreter over a large linear
 * memory) pays to refill them on its own clock. Measured on this 2-core machine with the same
 * build, two busy loops pinned to the guest's core raised the 200 KB / 10-include median from 2.81
 * to 3.61 ms and the 1 MB / 10-include one from 5.86 to 7.26 ms (involuntary context switches per
 * instance 74 → 114); the same loops on the other core left them unchanged, and at nice −10 beside
 * the same loops the figures read 2.87 and 6.50 ms (24 switches). That is the hour-to-hour drift of
 * the wasm bench: how many other agents share its core, not the code.
 *
 * Linux nice values are per thread and a new thread inherits its creator's, so this runs on the
 * main thread before the guest workers exist. It needs CAP_SYS_NICE (root in the dev container);
 * without it the bench runs at the normal priority and says so. `BENCH_NICE=0` opts out.
 */
import { setPriority } from 'node:os';

const RAISED = -10;
let state: 'raised' | 'normal' | undefined;

/** Raises this thread's priority once per process; returns how the bench runs. */
export function raiseBenchPriority(): 'raised' | 'normal' {
  if (state) return state;
  if (process.env.BENCH_NICE === '0') return (state = 'normal');
  try {
    setPriority(0, RAISED);
    state = 'raised';
  } catch {
    state = 'normal';
  }
  return state;
}

/** For section titles: the priority the guest threads ran at. */
export function benchPriorityText(): string {
  return state === 'raised' ? `guest threads at nice ${RAISED}` : 'normal priority';
}
