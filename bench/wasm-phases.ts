/**
 * The decision's phases inside the measuring guest (bench/guest/measure-guest.ts): config load,
 * HMAC key import and the full decision (ranking: wasm-rank-phases.ts). Each round is one fresh instance
 * that runs the phase `RUNS` times; each run is timed inside the guest with `vCpuTime()` read
 * before and after it (microseconds on the benchmark's Wasm host: the worker thread's own CPU
 * clock). "First run" is what a request pays in a fresh instance, as on Compute; "warm" is the
 * median of the later runs in the same instance. No figure is a difference of two instances, so
 * none can come out negative.
 */
import type { Goal } from './bench-stats.ts';
import { spread } from './bench-stats.ts';
import type { GuestStack } from './wasm-guest-host.ts';
import { guestDecisionCookie } from './wasm-decision-cookie.ts';

const RUNS = 11;

export interface PhaseFigure {
  figure: string;
  samples: number[];
  warm: number[];
  unit: string;
  goal: Goal | null;
  /** How the figure is measured, printed with it. */
  method: string;
}

const METHOD = 'in-guest vCPU around the phase, first run of a fresh instance';

async function phaseRuns(stack: GuestStack, path: string, body: Uint8Array<ArrayBuffer>, headers: Record<string, string>, rounds: number): Promise<{ first: number[]; warm: number[] }> {
  const first: number[] = [];
  const warm: number[] = [];
  const sep = path.includes('?') ? '&' : '?';
  for (let round = 0; round < rounds; round++) {
    const response = await fetch(stack.url(`${path}${sep}runs=${RUNS}`), { method: 'POST', body, headers: { ...headers, 'x-fragment-bytes': '0' } });
    const text = await response.text();
    if (!response.ok) throw new Error(`${path}: ${response.status} ${text}`);
    await stack.host.settled();
    const { cpuMs } = JSON.parse(text) as { cpuMs: number[] };
    first.push(cpuMs[0]!);
    warm.push(spread(cpuMs.slice(1)).median);
  }
  return { first, warm };
}

/** `wanted` filters by figure name (BENCH_ONLY), so one phase can be iterated on alone. */
export async function phaseFigures(stack: GuestStack, rounds: number, wanted: (figure: string) => boolean = () => true): Promise<PhaseFigure[]> {
  const none = new Uint8Array(0);
  const figures: PhaseFigure[] = [];
  if (wanted('config load')) figures.push({ figure: 'config load (3 JSON documents; warm = memo hit)', ...pair(await phaseRuns(stack, '/config', none, {}, rounds)), unit: 'ms', goal: null, method: METHOD });
  // The same documents with a different text every run: what a store edited since the build pays.
  if (wanted('config load')) figures.push({ figure: 'config load, documents not seen at build time (validated every run)', ...pair(await phaseRuns(stack, '/config-edited', none, {}, rounds)), unit: 'ms', goal: null, method: METHOD });
  if (wanted('HMAC key import')) figures.push({ figure: 'HMAC key import (secret store + importKey)', ...pair(await phaseRuns(stack, '/key-import', none, {}, rounds)), unit: 'ms', goal: null, method: METHOD });
  if (wanted('full decision')) {
    const decision = await phaseRuns(stack, '/decision/product/running/sku-1001?utm_source=x', none, await guestDecisionCookie(stack.manifestPath), rounds);
    figures.push({ figure: 'full decision (context, vid + bound sess: 1 HMAC verify, page key)', ...pair(decision), unit: 'ms', goal: { atMost: 0.3 }, method: METHOD });
  }
  return figures;
}

export const pair = (runs: { first: number[]; warm: number[] }) => ({ samples: runs.first, warm: runs.warm });
