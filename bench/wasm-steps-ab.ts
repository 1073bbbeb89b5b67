/**
 * `npx tsx bench/wasm-steps-ab.ts BEFORE.wasm AFTER.wasm [PAIRS] [PATH]`: two builds of the service
 * compared step by step over fresh instances, for changes of a few µs that whole-handler pairs
 * (wasm-handler-ab.ts, ±0.1 ms) cannot see. Each request of `PATH` (default `/`, or `STEPS_PATH`)
 * runs in a fresh instance as the consented demo visitor with its hostcall timeline on
 * (wasm-host/hostcall-timeline.ts); a step is the guest time before one hostcall (its n-th of that
 * name, `cache.lookup#3`) or a probe build's `console.log` text (`"text"`). For each step it prints
 * both medians and the median of the per-pair differences, then per span the sum of those, then
 * per request: the tail (guest time after the page's last response-header read: its ranked include,
 * `$(DECISION)`, the event), the run (guest time after the first hostcall, instantiation left out),
 * hostcalls and clock reads.
 *
 * A/A runs of 40 pairs at load 3–6 read −9 and +15 µs for the head (the request's start to the
 * page-cache lookup), single steps within ±9 µs, most within ±2. Within a half the builds alternate
 * strictly (A, B, A, B): flipping the order each pair paired a request that followed its own host's
 * with one that followed the other's and read ±300 µs per pair. The two halves start the hosts in
 * opposite orders, since one host read 10–50 µs apart from another of the same file. Both builds
 * must make the same hostcalls (compare only steps that exist in both).
 * `STEPS_ALL=1` prints every step (else those that moved by 2 µs or more), `STEPS_SPANS=from..to,…`
 * the spans (step names as printed). `STEPS_VISITOR=anonymous` sends no cookie (a stored page's hit,
 * once the warm-up has stored it). `sent` is the guest time after the first hostcall up to
 * `http_resp.send_downstream`: the time to first byte inside the guest, whatever order the
 * hostcalls before it come in.
 */
import { readAbArgs } from './ab-args.ts';
import { demoVisitorCookie } from './wasm-demo-pages.ts';
import { startOrigin } from '../origin/start-origin.ts';
import { stackManifest } from '../support/local-stack.ts';
import { SHIPPED_CONFIG } from '../src/fastly/shipped-config.ts';
import { startWasmHost, type RunningWasmHost } from '../wasm-host/wasm-server.ts';

const { before, after, count: pairs } = readAbArgs('wasm-steps-ab.ts', 'PAIRS', 60);
const path = process.argv[5] ?? process.env.STEPS_PATH ?? '/';
const SPANS = (process.env.STEPS_SPANS ?? 'http_req.uri_get..cache.lookup#3,cache.lookup#3..http_req.new,http_req.uri_get..http_resp.new,http_resp.new..http_resp.send_downstream').split(',');
const WARMUP = 3;
process.env.TIMELINE_DIGITS = '3';

interface Side {
  host: RunningWasmHost;
  timeline: string;
  written: string[];
}

/** One fresh instance's request: guest ms before each step, in order, and its per-request figures. */
interface Run {
  steps: Map<string, number>;
  figures: Record<'tail' | 'run' | 'sent' | 'hostcalls' | 'clocks', number>;
}

const origin = await startOrigin({ templatesPort: 0, profilesPort: 0, fragmentsPort: 0, quiet: true });
const manifestPath = stackManifest(origin, { config: { settings: SHIPPED_CONFIG.settings } });
const cookie = process.env.STEPS_VISITOR === 'anonymous' ? '' : await demoVisitorCookie(manifestPath);

async function side(wasmPath: string): Promise<Side> {
  const at: Partial<Side> & { written: string[] } = { timeline: '', written: [] };
  at.host = await startWasmHost({
    manifestPath, wasmPath, optimized: true, host: '127.0.0.1', port: 0, workers: 1, timeline: true, stdout: () => undefined,
    guestOutput: (fd, bytes) => (fd === 2 ? (at.timeline = Buffer.from(bytes).toString('utf8')) : void at.written.push(Buffer.from(bytes).toString('utf8').trim())),
  });
  return at as Side;
}

async function request(at: Side): Promise<Run> {
  at.written = [];
  await (await fetch(`${at.host.url.replace(/\/$/, '')}${path}`, { headers: cookie ? { cookie } : {} })).arrayBuffer();
  await at.host.settled();
  return runOf(at.timeline, at.written);
}

/** The timeline's rows as steps, each probe's `wasi.fd_write` named by its text. */
function runOf(timeline: string, written: readonly string[]): Run {
  const steps = new Map<string, number>();
  const seen = new Map<string, number>();
  const figures = { tail: 0, run: 0, sent: NaN, hostcalls: Number(/(\d+) hostcalls/.exec(timeline)?.[1] ?? NaN), clocks: 0 };
  let probe = 0;
  for (const line of timeline.split('\n')) {
    const match = /^\s*[\d.]+\s+([\d.]+)\s+(\d+)\s+(\S+)/.exec(line);
    if (match === null) continue;
    const call = match[3] === 'wasi.fd_write' && probe < written.length ? `"${written[probe++]!}"` : match[3]!;
    const n = (seen.get(call) ?? 0) + 1;
    const guest = Number(match[1]) * 1000;
    seen.set(call, n);
    steps.set(n === 1 ? call : `${call}#${n}`, guest / 1000);
    if (steps.size > 1) figures.run += guest;
    if (call === 'http_resp.send_downstream' && n === 1) figures.sent = figures.run;
    // The tail restarts at each response-header read, so it ends up counting from the last one.
    figures.tail = call === 'http_resp.header_values_get' ? 0 : figures.tail + guest;
    figures.clocks += Number(match[2]);
  }
  return { steps, figures };
}

const median = (values: number[]): number => values.slice().sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? NaN;
const us = (ms: number): string => (ms * 1000).toFixed(0).padStart(6);

const runs: Array<[Run, Run]> = [];
for (const starts of [[before, after], [after, before]]) {
  const hosts = [await side(starts[0]!), await side(starts[1]!)];
  const [a, b] = starts[0] === before ? hosts : [hosts[1]!, hosts[0]!];
  try {
    for (let i = 0; i < WARMUP; i++) await request(a!).then(() => request(b!));
    for (let i = 0; i < pairs / 2; i++) runs.push([await request(a!), await request(b!)]);
  } finally {
    for (const host of hosts) await host.host.close();
  }
}
await origin.close();

const names = [...runs[0]![0].steps.keys()];
const figure = (read: (run: Run) => number) => {
  const pair = runs.map(([x, y]) => [read(x), read(y)] as const);
  return { a: median(pair.map((p) => p[0])), b: median(pair.map((p) => p[1])), diff: median(pair.map((p) => p[1] - p[0])) };
};
const step = (name: string) => figure((run) => run.steps.get(name) ?? 0);
console.log(`${path}: guest time before each step, ${runs.length} fresh instances a side, µs: before, after, median of after − before`);
for (const name of names) {
  const f = step(name);
  if (process.env.STEPS_ALL === '1' || Math.abs(f.diff) >= 0.002) console.log(`${name.padEnd(44)} ${us(f.a)} ${us(f.b)} ${us(f.diff)}`);
}
for (const span of SPANS) {
  const [from, to] = span.split('..');
  const inside = names.slice(names.indexOf(from!) + 1, names.indexOf(to!) + 1);
  if (!names.includes(from!) || inside.length === 0) continue;
  const sum = inside.map(step).reduce((s, f) => ({ a: s.a + f.a, b: s.b + f.b, diff: s.diff + f.diff }), { a: 0, b: 0, diff: 0 });
  console.log(`span ${span.padEnd(39)} ${us(sum.a)} ${us(sum.b)} ${us(sum.diff)}  (sums of the steps' figures)`);
}
const LABELS = { tail: 'tail guest µs', run: 'guest µs after the first hostcall', sent: 'guest µs after the first hostcall to send_downstream', hostcalls: 'hostcalls', clocks: 'clocks' };
for (const key of ['tail', 'run', 'sent', 'hostcalls', 'clocks'] as const) {
  const f = figure((run) => run.figures[key]);
  console.log(`${LABELS[key]}: ${f.a.toFixed(1)} → ${f.b.toFixed(1)} (paired ${f.diff.toFixed(1)})`);
}
