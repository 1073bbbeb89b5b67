/**
 * `npx tsx bench/wasm-host-ab.ts BEFORE-CHECKOUT AFTER-CHECKOUT [PAIRS]`: a paired comparison of two
 * versions of the Wasm host's own JavaScript (wasm-host/), running the same guest (`AB_WASM`, default
 * bin/main.wasm here). wasm-ab.ts compares two guests on one host; this compares two hosts on one
 * guest. Each checkout's wasm-host/ is imported from its own path, so both hosts live in this
 * process as distinct modules, each with its own worker and local origin. For each demo page, after
 * warm-up, requests alternate between the two (the order flips every pair) as the consented demo
 * visitor, and the figure is the median of the per-pair differences in instance vCPU (the goal
 * row's measure: the guest worker thread's CPU, this host's hostcall code included), whole and
 * after instantiation ("run alone": what hostcall code can change, without the snapshot copy's noise)
 * and until then ("until the run": the host's setup of the instance and V8 instantiating it).
 * A host that makes each instance's memory before its request (wasm-host/spare-memory.ts) reports
 * that worker CPU apart, outside the instance's vCPU; a host that does not pays it inside the
 * instance and reads 0 there. So "whole + memory" compares what each host spends per instance.
 * `AB_HOST_TIME=1` also accounts each instance's CPU inside hostcalls and prints its medians
 * (the accounting itself adds ~1 µs a hostcall to both sides).
 * Make the "before" checkout with `git worktree add --detach DIR main` and link node_modules into it.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { alternate } from './ab-pairs.ts';
import { spread } from './bench-stats.ts';
import type * as GuestHost from './wasm-guest-host.ts';
import type * as Visitor from '../src/local-platform/signed-visitor.ts';
import type * as Manifest from '../src/local-platform/manifest.ts';

const PAGES = ['/', '/category/running', '/product/running/sku-1001'];
const WARMUP = 5;

const [beforeDir, afterDir, countText = '16'] = process.argv.slice(2);
const pairs = Number(countText);
if (!beforeDir || !afterDir || !Number.isInteger(pairs) || pairs < 3) {
  console.error('usage: npx tsx bench/wasm-host-ab.ts BEFORE-CHECKOUT AFTER-CHECKOUT [PAIRS ≥ 3, default 16]');
  process.exit(2);
}
const wasm = resolve(process.env.AB_WASM ?? 'bin/main.wasm');
const hostTime = process.env.AB_HOST_TIME === '1';

interface Side {
  stack: GuestHost.GuestStack;
  cookie: string;
}

const load = async <T>(dir: string, file: string): Promise<T> => (await import(pathToFileURL(resolve(dir, file)).href)) as T;

async function side(dir: string): Promise<Side> {
  const guestHost = await load<typeof GuestHost>(dir, 'bench/wasm-guest-host.ts');
  const visitor = await load<typeof Visitor>(dir, 'src/local-platform/signed-visitor.ts');
  const manifest = await load<typeof Manifest>(dir, 'src/local-platform/manifest.ts');
  const stack = await guestHost.startGuest(wasm, false, hostTime, guestHost.AS_SHIPPED);
  return { stack, cookie: await visitor.consentingVisitorCookie(manifest.loadManifest(stack.manifestPath), 'demo-runner') };
}

/** The memory's making before the request, on a host that reports it (0 on one that makes it inside the instance). */
const memoryMs = (host: object): number => (host as { memoryMs?: number[] }).memoryMs?.at(-1) ?? 0;

async function once({ stack, cookie }: Side, path: string): Promise<{ cpu: number; run: number; start: number; host: number; memory: number; total: number }> {
  const response = await fetch(stack.url(path), { headers: { cookie } });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
  await stack.host.settled();
  const cpu = stack.host.vcpuMs.at(-1)!;
  const memory = memoryMs(stack.host);
  return { cpu, run: cpu - stack.host.startMs.at(-1)!, start: stack.host.startMs.at(-1)!, host: stack.host.hostMs.at(-1) ?? 0, memory, total: cpu + memory };
}

/** "before X ms  after Y ms  after − before: median …" for one measure of the pairs. */
function line(label: string, xs: ReadonlyArray<{ a: number; b: number }>): string {
  const d = spread(xs.map(({ a, b }) => b - a));
  const median = (ys: number[]): string => spread(ys).median.toFixed(3);
  return `${label}: before ${median(xs.map((p) => p.a))} ms  after ${median(xs.map((p) => p.b))} ms  after − before: median ${d.median.toFixed(3)} ms (min ${d.min.toFixed(2)}, max ${d.max.toFixed(2)})`;
}

const a = await side(beforeDir);
const b = await side(afterDir);
try {
  console.log(`paired instance vCPU, ${pairs} pairs per page, guest ${wasm}: host before ${beforeDir}, after ${afterDir}`);
  for (const path of PAGES) {
    const measured = await alternate(a, b, WARMUP, pairs, (side) => once(side, path));
    const of = (key: 'cpu' | 'run' | 'start' | 'host' | 'memory' | 'total'): Array<{ a: number; b: number }> => measured.map((p) => ({ a: p.a[key], b: p.b[key] }));
    console.log(`${path.padEnd(28)} ${line('whole instance  ', of('cpu'))}`);
    console.log(`${''.padEnd(28)} ${line('run alone       ', of('run'))}`);
    console.log(`${''.padEnd(28)} ${line('until the run   ', of('start'))}`);
    if (hostTime) console.log(`${''.padEnd(28)} ${line('in hostcalls    ', of('host'))}`);
    console.log(`${''.padEnd(28)} ${line('memory before   ', of('memory'))}`);
    console.log(`${''.padEnd(28)} ${line('whole + memory  ', of('total'))}`);
  }
} finally {
  await a.stack.close();
  await b.stack.close();
}
