/**
 * `npx tsx bench/wasm-steps-ab.ts BEFORE.wasm AFTER.wasm [PAIRS]`: two builds of the service
 * compared step by step over fresh instances, for changes of a few µs that whole-handler pairs
 * (wasm-handler-ab.ts, ±0.1 ms) cannot see. Each request runs in a fresh instance with its
 * hostcall timeline on (wasm-host/hostcall-timeline.ts); a step is the guest time before one
 * hostcall (its n-th of that name, `cache.lookup#3`) or a probe build's `console.log` text. For
 * each step it prints both medians and the median of the per-pair differences, then per span
 * the sum of those: A/A runs of 40 pairs at load 3–6 read −9 and +15 µs for the head (the
 * request's start to the page-cache lookup), single steps within ±9 µs, most within ±2. The builds alternate strictly (A, B, A,
 * B): flipping the order each pair, as the other A/B tools do, paired a request that followed its
 * own host's with one that followed the other's and read ±300 µs per pair here. Both builds must
 * make the same hostcalls (compare only steps that exist in both). Read a step with its
 * neighbours: a one-off cost of the instance (its first RegExp run, say) moves to the next step
 * that pays it when a change removes it from one, and the sum is then unchanged.
 * `STEPS_PATH` (default `/`) picks the demo page, `STEPS_ALL=1` prints every step (else those that
 * moved by 2 µs or more), `STEPS_SPANS=from..to,…` the spans (hostcall step names).
 */
import { readAbArgs } from './ab-args.ts';
import { demoVisitorCookie } from './wasm-demo-pages.ts';
import { startOrigin } from '../origin/start-origin.ts';
import { stackManifest } from '../support/local-stack.ts';
import { SHIPPED_CONFIG } from '../src/fastly/shipped-config.ts';
import { startWasmHost, type RunningWasmHost } from '../wasm-host/wasm-server.ts';

const { before, after, count: pairs } = readAbArgs('wasm-steps-ab.ts', 'PAIRS', 60);
const path = process.env.STEPS_PATH ?? '/';
const SPANS = (process.env.STEPS_SPANS ?? 'http_req.uri_get..cache.lookup#3,cache.lookup#3..http_req.new,http_req.uri_get..http_resp.new,http_resp.new..http_resp.send_downstream').split(',');
process.env.TIMELINE_DIGITS = '3';

interface Side {
  host: RunningWasmHost;
  timeline: string;
  written: string[];
}

const origin = await startOrigin({ templatesPort: 0, profilesPort: 0, fragmentsPort: 0, quiet: true });
const manifestPath = stackManifest(origin, { config: { settings: SHIPPED_CONFIG.settings } });
const cookie = await demoVisitorCookie(manifestPath);

async function side(wasmPath: string): Promise<Side> {
  const at: Partial<Side> & { written: string[] } = { timeline: '', written: [] };
  at.host = await startWasmHost({
    manifestPath, wasmPath, optimized: true, host: '127.0.0.1', port: 0, workers: 1, timeline: true, stdout: () => undefined,
    guestOutput: (fd, bytes) => (fd === 2 ? (at.timeline = Buffer.from(bytes).toString('utf8')) : void at.written.push(Buffer.from(bytes).toString('utf8').trim())),
  });
  return at as Side;
}

/** One fresh instance's steps: guest ms before each hostcall (or probe text), in order. */
async function steps(at: Side): Promise<Map<string, number>> {
  at.written = [];
  await (await fetch(`${at.host.url.replace(/\/$/, '')}${path}`, { headers: { cookie } })).arrayBuffer();
  await at.host.settled();
  const out = new Map<string, number>();
  const seen = new Map<string, number>();
  let probe = 0;
  for (const line of at.timeline.split('\n')) {
    const match = /^\s*[\d.]+\s+([\d.]+)\s+\d+\s+(\S+)/.exec(line);
    if (match === null) continue;
    const call = match[2] === 'wasi.fd_write' && probe < at.written.length ? `"${at.written[probe++]!}"` : match[2]!;
    const n = (seen.get(call) ?? 0) + 1;
    seen.set(call, n);
    out.set(n === 1 ? call : `${call}#${n}`, Number(match[1]));
  }
  return out;
}

const median = (values: number[]): number => values.slice().sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? NaN;
const us = (ms: number): string => (ms * 1000).toFixed(0).padStart(6);

const a = await side(before);
const b = await side(after);
try {
  for (let i = 0; i < 3; i++) await steps(a).then(() => steps(b));
  const runs: Array<[Map<string, number>, Map<string, number>]> = [];
  for (let i = 0; i < pairs; i++) runs.push([await steps(a), await steps(b)]);
  const names = [...runs[0]![0].keys()];
  const figure = (name: string) => {
    const pair = runs.map(([x, y]) => [x.get(name) ?? 0, y.get(name) ?? 0] as const);
    return { a: median(pair.map((p) => p[0])), b: median(pair.map((p) => p[1])), diff: median(pair.map((p) => p[1] - p[0])) };
  };
  console.log(`${path}: guest time before each step, ${pairs} fresh instances a side, µs: before, after, median of after − before`);
  for (const name of names) {
    const f = figure(name);
    if (process.env.STEPS_ALL === '1' || Math.abs(f.diff) >= 0.002) console.log(`${name.padEnd(44)} ${us(f.a)} ${us(f.b)} ${us(f.diff)}`);
  }
  for (const span of SPANS) {
    const [from, to] = span.split('..');
    const inside = names.slice(names.indexOf(from!) + 1, names.indexOf(to!) + 1);
    if (!names.includes(from!) || inside.length === 0) continue;
    const sum = inside.map(figure).reduce((s, f) => ({ a: s.a + f.a, b: s.b + f.b, diff: s.diff + f.diff }), { a: 0, b: 0, diff: 0 });
    console.log(`span ${span.padEnd(39)} ${us(sum.a)} ${us(sum.b)} ${us(sum.diff)}  (sums of the steps' figures)`);
  }
} finally {
  await a.host.close();
  await b.host.close();
  await origin.close();
}
