/**
 * The guest's vCPU clock: CPU time the guest's worker thread has used since the instance started.
 * Compute reports the CPU time a request's sandbox actually ran, not its wall time, so time parked
 * in a blocking hostcall (the main thread doing the I/O) must not count, and neither must time the
 * thread spent runnable but descheduled on a busy machine. The thread's own CPU clock
 * (thread-cpu-clock.ts) gives exactly that. Elsewhere the clock falls back to wall time minus time
 * blocked in hostcalls, which over-reports under CPU contention.
 */
import { threadCpuClock } from './thread-cpu-clock.ts';

export interface GuestClock {
  /** CPU milliseconds since the clock started (fractional). */
  elapsedMs(): number;
  /** Which measurement this clock uses, for reports. */
  readonly source: 'thread-cpu' | 'wall-minus-blocked';
}

let reader: (() => number) | null | undefined;

/** This thread's CPU time in ms, or null where the platform does not expose it. */
export function threadCpuMs(): number | null {
  if (reader === undefined) reader = threadCpuClock();
  return reader ? reader() : null;
}

/** Starts a clock on the calling thread; `blockedMs` reads the time spent in blocking hostcalls. */
export function startGuestClock(blockedMs: () => number): GuestClock {
  const cpuStart = threadCpuMs();
  if (cpuStart !== null) return { source: 'thread-cpu', elapsedMs: () => (threadCpuMs() ?? cpuStart) - cpuStart };
  const wallStart = performance.now();
  return { source: 'wall-minus-blocked', elapsedMs: () => Math.max(0, performance.now() - wallStart - blockedMs()) };
}
