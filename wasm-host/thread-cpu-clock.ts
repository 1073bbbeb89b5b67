/**
 * This thread's CPU time at nanosecond resolution on Node 20, which has no per-thread CPU clock of
 * its own (`process.threadCpuUsage` arrived in Node 23.9; `process.cpuUsage` sums every thread).
 * Node's WASI (uvwasi) implements WASI's `clock_time_get` for the thread CPU-time clock with
 * `clock_gettime(CLOCK_THREAD_CPUTIME_ID)`, so a 130-byte Wasm module that calls it and returns
 * the value reads the kernel's exact per-thread figure (about 2 µs a call).
 *
 * The kernel's `/proc/thread-self/schedstat` is the fallback: its figure only moves at scheduler
 * ticks and context switches, so a reading taken while the thread computes can be a tick (1–4 ms)
 * stale, which is what made small differences of two readings come out negative.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as NodeWasi from 'node:wasi';

const WASI_THREAD_CPUTIME = 0x03;
const NAME = (text: string): number[] => [text.length, ...Array.from(text, (c) => c.charCodeAt(0))];

/** `(module (import "wasi_snapshot_preview1" "clock_time_get" …) (memory 1) (func (export "now") …))`. */
const MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  // types: (i32 i64 i32) -> i32, () -> i64
  0x01, 0x0c, 0x02, 0x60, 0x03, 0x7f, 0x7e, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x01, 0x7e,
  0x02, 0x29, 0x01, ...NAME('wasi_snapshot_preview1'), ...NAME('clock_time_get'), 0x00, 0x00,
  0x03, 0x02, 0x01, 0x01,
  0x05, 0x03, 0x01, 0x00, 0x01,
  0x07, 0x10, 0x02, ...NAME('memory'), 0x02, 0x00, ...NAME('now'), 0x00, 0x01,
  // now: clock_time_get(THREAD_CPUTIME, precision 1, out 0); drop; i64.load 0
  0x0a, 0x12, 0x01, 0x10, 0x00, 0x41, WASI_THREAD_CPUTIME, 0x42, 0x01, 0x41, 0x00, 0x10, 0x00, 0x1a, 0x41, 0x00, 0x29, 0x03, 0x00, 0x0b,
]);

function wasiThreadClock(): (() => bigint) | null {
  // Node 20 flags WASI experimental and warns when the module loads (once per worker thread): the
  // clock call is the only part used, and it is stable.
  const emitWarning = Object.getOwnPropertyDescriptor(process, 'emitWarning');
  try {
    process.emitWarning = () => undefined;
    const { WASI } = createRequire(import.meta.url)('node:wasi') as typeof NodeWasi;
    const wasi = new WASI({ version: 'preview1' });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(MODULE), wasi.getImportObject() as WebAssembly.Imports);
    wasi.initialize(instance);
    const now = instance.exports.now as () => bigint;
    return now() > 0n ? now : null;
  } catch {
    return null;
  } finally {
    if (emitWarning) Object.defineProperty(process, 'emitWarning', emitWarning);
  }
}

function schedstatMs(): number | null {
  try {
    const onCpuNs = Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ', 1)[0]);
    return Number.isFinite(onCpuNs) ? onCpuNs / 1e6 : null;
  } catch {
    return null;
  }
}

/** Returns a reader of this thread's CPU time in ms (fractional), or null where none exists. */
export function threadCpuClock(): (() => number) | null {
  const exact = wasiThreadClock();
  if (exact) return () => Number(exact()) / 1e6;
  return schedstatMs() === null ? null : () => schedstatMs() ?? 0;
}
