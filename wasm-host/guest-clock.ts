/**
 * The guest's vCPU clock: CPU time the guest's worker thread has used since the instance started.
 * Compute reports the CPU time a request's sandbox actually ran, not its wall time, so time parked
 * in a blocking hostcall (the main thread doing the I/O) must not count, and neither must time the
 * thread spent runnable but descheduled on a busy machine. On Linux the kernel's per-thread
 * scheduler accounting (`/proc/thread-self/schedstat`, first field: nanoseconds on a CPU) gives
 * exactly that; Node 20 has no per-thread CPU clock of its own (`process.threadCpuUsage` arrived in
 * Node 23.9, and `process.cpuUsage` sums every thread). Elsewhere the clock falls back to wall time
 * minus time blocked in hostcalls, which over-reports under CPU contention.
 */
import { readFileSync } from 'node:fs';

export interface GuestClock {
  /** CPU milliseconds since the clock started (fractional). */
  elapsedMs(): number;
  /** Which measurement this clock uses, for reports. */
  readonly source: 'thread-cpu' | 'wall-minus-blocked';
}

const SCHEDSTAT = '/proc/thread-self/schedstat';

/** This thread's CPU time in ms, or null where the kernel does not expose it. */
export function threadCpuMs(): number | null {
  try {
    const onCpuNs = Number(readFileSync(SCHEDSTAT, 'latin1').split(' ', 1)[0]);
    return Number.isFinite(onCpuNs) ? onCpuNs / 1e6 : null;
  } catch {
    return null;
  }
}

/** Starts a clock on the calling thread; `blockedMs` reads the time spent in blocking hostcalls. */
export function startGuestClock(blockedMs: () => number): GuestClock {
  const cpuStart = threadCpuMs();
  if (cpuStart !== null) return { source: 'thread-cpu', elapsedMs: () => (threadCpuMs() ?? cpuStart) - cpuStart };
  const wallStart = performance.now();
  return { source: 'wall-minus-blocked', elapsedMs: () => Math.max(0, performance.now() - wallStart - blockedMs()) };
}
