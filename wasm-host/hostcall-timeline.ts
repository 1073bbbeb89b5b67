/**
 * A profiler for one guest instance that needs nothing from the guest: every hostcall is a mark.
 * SpiderMonkey interprets our JavaScript inside the Wasm, so a sampling profiler only ever sees
 * `js::Interpret`; but the guest calls the host at every step that matters (a header read, a cache
 * lookup, a backend send, a body write), so the CPU spent between two consecutive hostcalls is the
 * guest's own work for the step between them. Each line gives the instance's CPU time at the call,
 * the guest CPU since the previous call, how many clock reads the guest made in between (the
 * runtime reads the clock twice for every promise it creates and settles, so this counts promises),
 * the hostcall and the host's own time in it. With WASM_HOST_TIMELINE=1 the Wasm host prints it.
 * The first line's CPU covers instantiation and the runtime's start, but not the instance's memory:
 * the host makes that before the request (spare-memory.ts), and the report says what it cost.
 */
import type { Hostcall } from './imports/host-context.ts';

type Imports = Record<string, Record<string, Hostcall>>;

export interface Timeline {
  imports: WebAssembly.Imports;
  /**
   * The report for the instance so far: one line per hostcall, then totals; `memoryMs`, the CPU
   * the host spent making the instance's memory before its request (in no line), when it did.
   */
  report(totalMs: number, memoryMs?: number | null): string;
}

const CLOCK = 'clock_time_get';

/** Called after each hostcall with when it started and ended on the clock. */
type OnCall = (module: string, name: string, before: number, after: number) => void;

/** Wraps every import so each call is timed with `now` and reported to `onCall`. */
function timedImports(imports: WebAssembly.Imports, now: () => number, onCall: OnCall): Imports {
  const wrapped: Imports = {};
  for (const [module, calls] of Object.entries(imports as Imports)) {
    const out: Record<string, Hostcall> = (wrapped[module] = {});
    for (const [name, fn] of Object.entries(calls)) {
      out[name] = (...args: never[]) => {
        const before = now();
        try {
          return fn(...args);
        } finally {
          onCall(module, name, before, now());
        }
      };
    }
  }
  return wrapped;
}

/** The timeline of one instance, timed with `now` (this thread's CPU clock, in ms). */
export function withTimeline(imports: WebAssembly.Imports, now: () => number): Timeline {
  const start = now();
  let last = start;
  let clockReads = 0;
  let hostMs = 0;
  const lines: string[] = [];
  const short = (module: string): string => module.replace(/^fastly_/, '').replace('wasi_snapshot_preview1', 'wasi');
  const wrapped = timedImports(imports, now, (module, name, before, after) => {
    hostMs += after - before;
    if (name === CLOCK) {
      clockReads++;
      return;
    }
    lines.push(`${fmt(before - start, 8)} ${fmt(before - last, 7)} ${String(clockReads).padStart(4)}  ${short(module)}.${name} ${fmt(after - before, 0)}`);
    clockReads = 0;
    last = after;
  });
  return {
    imports: wrapped,
    report(totalMs, memoryMs = null) {
      const head = '  cpu ms   guest  clock  hostcall (host ms)';
      const tail = `instance ${fmt(totalMs, 0)} ms CPU, of which ${fmt(hostMs, 0)} ms in the Wasm host's own hostcall code (timing included), ${lines.length} hostcalls`;
      return [head, ...lines, tail, ...(memoryMs === null ? [] : [memoryLine(memoryMs)])].join('\n') + '\n';
    },
  };
}

/**
 * What the host side of this instance cost, for the benchmark's "guest side only" figure: on
 * Compute a hostcall's host side is native code, here it is this host's JavaScript. The sum is the
 * CPU inside hostcalls plus the accounting's own cost: each call's two clock reads land partly
 * outside the timed window, so a calibration of a no-op hostcall measures that part once and it is
 * charged per call. The calibration itself runs inside the instance's clock and is charged too, so
 * instance CPU minus this sum is the guest's own work.
 */
export function withHostTime(imports: WebAssembly.Imports, now: () => number): { imports: WebAssembly.Imports; hostMs: () => number; atVcpuReads: number[] } {
  const outsidePerCall = calibrate(now);
  let hostMs = outsidePerCall.calibrationMs;
  // The sum so far at each `vCpuTime()` of the guest: a measuring guest's phase between two of its
  // reads then splits into the host's part and the guest's own (bench/wasm-decision-ab.ts).
  const atVcpuReads: number[] = [];
  const wrapped = timedImports(imports, now, (_module, name, before, after) => {
    hostMs += after - before + outsidePerCall.ms;
    if (name === 'get_vcpu_ms') atVcpuReads.push(hostMs);
  });
  return { imports: wrapped, hostMs: () => hostMs, atVcpuReads };
}

const CALIBRATION_CALLS = 200;

/** The accounting's cost per call outside its timed window, from a no-op hostcall. */
function calibrate(now: () => number): { ms: number; calibrationMs: number } {
  let inside = 0;
  const noop = timedImports({ m: { n: () => 0 } }, now, (_module, _name, before, after) => (inside += after - before)).m!.n!;
  const started = now();
  for (let i = 0; i < CALIBRATION_CALLS; i++) noop();
  const total = now() - started;
  return { ms: Math.max(0, (total - inside) / CALIBRATION_CALLS), calibrationMs: total };
}

/** The host's memory work for the instance, which no line and no total above includes. */
function memoryLine(memoryMs: number): string {
  return `not above: ${fmt(memoryMs, 0)} ms of worker CPU made this instance's memory before its request (the snapshot's 4 KB pages faulted in; Compute's pooling allocator has a slot ready): the first line's CPU, instantiation and the runtime's start, does not include it`;
}

/** `TIMELINE_DIGITS=3` prints microseconds: paired probe builds compare steps of 5–50 µs. */
const DIGITS = [0, 1, 2, 3, 4].find((n) => String(n) === process.env.TIMELINE_DIGITS) ?? 2;

function fmt(ms: number, width: number): string {
  return ms.toFixed(DIGITS).padStart(width);
}
