/**
 * The decision's phases inside the measuring guest (bench/guest/measure-guest.ts): config load,
 * HMAC key import, the full decision and ranking 200 candidates. Each round is one fresh instance
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

const CATEGORIES = ['running', 'trail', 'hiking', 'cycling', 'swimming', 'yoga', 'tennis', 'climbing'];

/** A segment's candidate document at the cap: 200 items across 8 categories, realistic card HTML. */
export function candidateDocument(items = 200): Uint8Array<ArrayBuffer> {
  const list = Array.from({ length: items }, (_, i) => {
    const id = `sku-${1000 + i}`;
    const category = CATEGORIES[(i * 5) % CATEGORIES.length]!;
    return {
      id, category, score: Math.round((1 - i / items) * 1000) / 1000,
      html: `<li class="product-card" data-item="${id}"><a href="/product/${category}/${id}"><img src="/static/img/${id}.svg" alt="" width="160" height="120" loading="lazy"><span class="product-card__name">${category} pick ${i}</span><span class="product-card__price">£${(19 + (i % 80)).toFixed(2)}</span></a></li>`,
    };
  });
  const text = JSON.stringify({ before: '<ul class="product-grid">', after: '</ul>', items: list });
  return new TextEncoder().encode(text);
}

/** The phases `wanted` keeps (by figure name; `BENCH_ONLY` in wasm.bench.ts), each over `rounds` fresh instances. */
export async function phaseFigures(stack: GuestStack, rounds: number, wanted: (figure: string) => boolean = () => true): Promise<PhaseFigure[]> {
  const none = new Uint8Array(0);
  const cookie = await guestDecisionCookie(stack.manifestPath);
  const phases = [
    { figure: 'config load (3 JSON documents; warm = memo hit)', path: '/config', body: none, headers: {}, goal: null },
    { figure: 'HMAC key import (secret store + importKey)', path: '/key-import', body: none, headers: {}, goal: null },
    { figure: 'full decision (context, 2 HMAC verifies, page key)', path: '/decision/product/running/sku-1001?utm_source=x', body: none, headers: cookie, goal: { atMost: 0.3 } },
    { figure: 'ranking 200 candidates (decode, parse, rank, render)', path: '/rank', body: candidateDocument(), headers: {}, goal: { atMost: 0.5 } },
  ];
  const figures: PhaseFigure[] = [];
  for (const { figure, path, body, headers, goal } of phases.filter((phase) => wanted(phase.figure))) {
    figures.push({ figure, ...pair(await phaseRuns(stack, path, body, headers, rounds)), unit: 'ms', goal, method: METHOD });
  }
  return figures;
}

const pair = (runs: { first: number[]; warm: number[] }) => ({ samples: runs.first, warm: runs.warm });
