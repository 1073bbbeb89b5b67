/**
 * `npx tsx bench/wasm-timeline-ab.ts BEFORE.wasm AFTER.wasm [PAIRS] [PATH]`: paired hostcall
 * timelines (`npm run wasm:timeline`) of two service builds, for changes too small for whole-request
 * pairs (±0.1–0.2 ms). Each request is a fresh instance of `PATH` (default `/`) as the consented demo
 * visitor; the builds alternate, and the pairs run in two halves with the hosts started in opposite
 * orders (one host read ~10–50 µs apart from another of the same file). Per build it prints the
 * medians, and the median of the per-pair differences, of: the guest µs after the page's last
 * response-header read (the tail of a demo page: its ranked include, `$(DECISION)`, the event);
 * the guest µs after the first hostcall (the run without instantiation); hostcalls and clock reads.
 *
 * `AB_SPAN=from,to` adds the guest µs after the last `from` row up to and including the first `to`
 * row after it, each a hostcall (`secret_store.get`) or a probe's text (a `console.log('step')` put
 * in both builds): a probe split resolves ~5 µs over 30–40 pairs where whole requests do not.
 */
import { startOrigin } from '../origin/start-origin.ts';
import { loadManifest } from '../src/local-platform/manifest.ts';
import { consentingVisitorCookie } from '../src/local-platform/signed-visitor.ts';
import { stackManifest } from '../support/local-stack.ts';
import { SHIPPED_CONFIG } from '../src/fastly/shipped-config.ts';
import { startWasmHost, type RunningWasmHost } from '../wasm-host/wasm-server.ts';
import { readAbArgs } from './ab-args.ts';
import { spread } from './bench-stats.ts';

process.env.TIMELINE_DIGITS = '3';
const { before, after, count: pairs } = readAbArgs('wasm-timeline-ab.ts', 'PAIRS', 30);
const path = process.argv[5] ?? '/';
const span = (process.env.AB_SPAN ?? '').split(',').filter(Boolean);
const WARMUP = 6;

interface Row {
  name: string;
  guest: number;
  clock: number;
}

interface Figures {
  tail: number;
  run: number;
  span: number;
  hostcalls: number;
  clocks: number;
}

interface Side {
  host: RunningWasmHost;
  timeline: string;
  written: string[];
}

/** The timeline's rows, each probe's `wasi.fd_write` named by its text. */
function rowsOf(timeline: string, written: readonly string[]): Row[] {
  let next = 0;
  const rows: Row[] = [];
  for (const line of timeline.split('\n')) {
    const match = /^\s*[\d.]+\s+([\d.]+)\s+(\d+)\s+(\S+)/.exec(line);
    if (match === null) continue;
    const name = match[3] === 'wasi.fd_write' && next < written.length ? written[next++]! : match[3]!;
    rows.push({ name, guest: Number(match[1]) * 1000, clock: Number(match[2]) });
  }
  return rows;
}

const guestOf = (rows: readonly Row[]): number => rows.reduce((sum, row) => sum + row.guest, 0);

function spanOf(rows: readonly Row[]): number {
  if (span.length !== 2) return Number.NaN;
  const from = rows.findLastIndex((row) => row.name === span[0]);
  const to = rows.findIndex((row, i) => i > from && row.name === span[1]);
  return from < 0 || to < 0 ? Number.NaN : guestOf(rows.slice(from + 1, to + 1));
}

function figuresOf(side: Side): Figures {
  const rows = rowsOf(side.timeline, side.written);
  const lastHead = rows.findLastIndex((row) => row.name === 'http_resp.header_values_get');
  const hostcalls = Number(/(\d+) hostcalls/.exec(side.timeline)?.[1] ?? Number.NaN);
  return { tail: guestOf(rows.slice(lastHead + 1)), run: guestOf(rows.slice(1)), span: spanOf(rows), hostcalls, clocks: rows.reduce((sum, row) => sum + row.clock, 0) };
}

async function started(wasmPath: string, manifestPath: string): Promise<Side> {
  const side: Side = { host: undefined as unknown as RunningWasmHost, timeline: '', written: [] };
  side.host = await startWasmHost({
    manifestPath, wasmPath, host: '127.0.0.1', port: 0, workers: 1, timeline: true, stdout: () => undefined,
    guestOutput: (fd, bytes) => {
      const text = Buffer.from(bytes).toString('utf8');
      if (fd === 2) side.timeline = text;
      else side.written.push(text.trim());
    },
  });
  return side;
}

async function once(side: Side, cookie: string): Promise<Figures> {
  side.written = [];
  const response = await fetch(`${side.host.url.replace(/\/$/, '')}${path}`, { headers: { cookie } });
  await response.arrayBuffer();
  await side.host.settled();
  return figuresOf(side);
}

const origin = await startOrigin({ templatesPort: 0, profilesPort: 0, fragmentsPort: 0, quiet: true });
const seen: [Figures[], Figures[]] = [[], []];
try {
  const manifestPath = stackManifest(origin, { config: { settings: SHIPPED_CONFIG.settings } });
  const cookie = await consentingVisitorCookie(loadManifest(manifestPath), 'demo-runner');
  for (const order of [[before, after], [after, before]] as const) {
    const hosts = [await started(order[0], manifestPath), await started(order[1], manifestPath)];
    const sides = order[0] === before ? hosts : [hosts[1]!, hosts[0]!];
    for (let i = 0; i < WARMUP; i++) for (const side of sides) await once(side, cookie);
    for (let pair = 0; pair < pairs / 2; pair++) for (const i of pair % 2 === 0 ? [0, 1] : [1, 0]) seen[i]!.push(await once(sides[i]!, cookie));
    for (const side of hosts) await side.host.close();
  }
} finally {
  await origin.close();
}

const median = (values: number[]): number => spread(values).median;
const figure = (name: string, key: keyof Figures): string => {
  const [a, b] = [seen[0].map((f) => f[key]), seen[1].map((f) => f[key])];
  return `${name} ${median(a).toFixed(1)} → ${median(b).toFixed(1)} (paired ${median(b.map((value, i) => value - a[i]!)).toFixed(1)})`;
};
console.log(`${path}, ${seen[0].length} pairs: before ${before}, after ${after}`);
console.log(`  ${figure('tail guest µs', 'tail')}; ${figure('guest µs after the first hostcall', 'run')}`);
console.log(`  hostcalls ${median(seen[0].map((f) => f.hostcalls))} → ${median(seen[1].map((f) => f.hostcalls))}, clock reads ${median(seen[0].map((f) => f.clocks))} → ${median(seen[1].map((f) => f.clocks))}`);
if (span.length === 2) console.log(`  ${figure(`${span[0]} → ${span[1]} guest µs`, 'span')}`);
