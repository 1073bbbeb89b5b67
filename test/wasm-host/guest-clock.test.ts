/**
 * The vCPU clock behind `vCpuTime()`: it counts the guest thread's CPU time, not time parked in a
 * blocking hostcall, and `get_vcpu_ms` reports it in whole milliseconds, truncated (microseconds
 * for a benchmark host that asks).
 */
import { describe, expect, it } from 'vitest';
import { startGuestClock, threadCpuMs } from '../../wasm-host/guest-clock.ts';
import { GuestMemory } from '../../wasm-host/guest-memory.ts';
import { runtimeImports } from '../../wasm-host/imports/platform-imports.ts';
import type { HostContext } from '../../wasm-host/imports/host-context.ts';

const onLinux = threadCpuMs() !== null;

/** A fixed amount of work (not a wall-clock span: on a busy machine the thread may barely run). */
function spin(iterations: number): number {
  let sum = 0;
  for (let i = 0; i < iterations; i++) sum += Math.sqrt(i);
  return sum;
}

describe('guest clock', () => {
  it.skipIf(!onLinux)('uses the thread CPU clock where the kernel exposes it', () => {
    expect(startGuestClock(() => 0).source).toBe('thread-cpu');
  });

  it.skipIf(!onLinux)('advances while the thread computes', () => {
    const clock = startGuestClock(() => 0);
    expect(spin(5_000_000)).toBeGreaterThan(0);
    expect(clock.elapsedMs()).toBeGreaterThan(0);
  });

  it.skipIf(!onLinux)('does not count time the thread spends parked in Atomics.wait', () => {
    const clock = startGuestClock(() => 0);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
    expect(clock.elapsedMs()).toBeLessThan(150);
  });

  it.skipIf(!onLinux)('tells apart a tenth of a millisecond of work from none', () => {
    const clock = startGuestClock(() => 0);
    const idle = clock.elapsedMs();
    spin(20_000);
    expect(clock.elapsedMs() - idle).toBeGreaterThan(0);
  });

  it.each([
    { elapsed: 0, microseconds: false, reported: 0n },
    { elapsed: 0.999, microseconds: false, reported: 0n },
    { elapsed: 12.7, microseconds: false, reported: 12n },
    { elapsed: 0.2345, microseconds: true, reported: 234n },
    { elapsed: 12.7, microseconds: true, reported: 12_700n },
  ])('get_vcpu_ms writes $reported for $elapsed ms of CPU (bench microseconds: $microseconds)', ({ elapsed, microseconds, reported }) => {
    const memory = new GuestMemory();
    const raw = new WebAssembly.Memory({ initial: 1 });
    memory.attach(raw);
    const ctx = { memory, config: { vcpuMicroseconds: microseconds }, clock: { source: 'thread-cpu', elapsedMs: () => elapsed } } as unknown as HostContext;
    const getVcpuMs = runtimeImports(ctx).get_vcpu_ms as (out: number) => number;
    expect(getVcpuMs(64)).toBe(0);
    expect(new DataView(raw.buffer).getBigUint64(64, true)).toBe(reported);
  });
});
