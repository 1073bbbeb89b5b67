/**
 * A profiler for one guest instance that needs nothing from the guest: every hostcall is a mark.
 * SpiderMonkey interprets our JavaScript inside the Wasm, so a sampling profiler only ever sees
 * `js::Interpret`; but the guest calls the host at every step that matters (a header read, a cache
 * lookup, a backend send, a body write), so the CPU spent between two consecutive hostcalls is the
 * guest's own work for the step between them. Each line gives the instance's CPU time at the call,
 * the guest CPU since the previous call, how many clock reads the guest made in between (the
 * runtime reads the clock twice for every promise it creates and settles, so this counts promises),
 * the hostcall and the host's own time in it. With WASM_HOST_TIMELINE=1 the Wasm host prints it.
 */
import type { Hostcall } from './imports/host-context.ts';

type Imports = Record<string, Record<string, Hostcall>>;

export interface Timeline {
  imports: WebAssembly.Imports;
  /** The report for the instance so far: one line per hostcall, then totals. */
  report(totalMs: number): string;
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
    report(totalMs) {
      const head = '  cpu ms   guest  clock  hostcall (host ms)';
      const tail = `instance ${fmt(totalMs, 0)} ms CPU, of which ${fmt(hostMs, 0)} ms in the Wasm host's own hostcall code (timing included), ${lines.length} hostcalls`;
      return [head, ...lines, tail].join('\n') + '\n';
    },
  };
}

/**
 * Only the sum of CPU spent inside hostcalls, for the benchmark's "guest side only" figure: on
 * Compute the host side of a hostcall is native code, here it is this host's JavaScript. Nothing is
 * formatted per call, so the accounting adds little besides two clock reads per hostcall, and what
 * it adds lands on the guest's side of the split (the figure errs high, never low).
 */
export function withHostTime(imports: WebAssembly.Imports, now: () => number): { imports: WebAssembly.Imports; hostMs: () => number } {
  let hostMs = 0;
  const wrapped = timedImports(imports, now, (_module, _name, before, after) => (hostMs += after - before));
  return { imports: wrapped, hostMs: () => hostMs };
}

function fmt(ms: number, width: number): string {
  return ms.toFixed(2).padStart(width);
}
