/**
 * Pass-through cost on the Node host: 5 MiB POSTs (PASS_BODY_MIB to change) straight to a sink origin, through a bare
 * `req.pipe(http.request())` proxy (the floor for any Node HTTP hop) and through the edge (both in
 * child processes), in the same run, in rotating order, so the machine's noise hits all alike.
 * Reports the median and p99 milliseconds the edge adds over the direct path and over the bare
 * proxy, and the edge's peak RSS growth while the uploads stream through it (the kernel's
 * high-water mark, reset just before). Goals: the edge adds < 2 ms at the median, and its memory
 * stays flat: under the size of one body, which whole-body buffering could not do.
 */
import { createServer, request, Agent, type Server } from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { AddressInfo } from 'node:net';
import { withOrigins } from '../src/local-platform/with-origins.ts';
import { startEdgeProcess } from '../load/edge-process.ts';
import type { BenchSection } from './bench-section.ts';
import { fmt, mark, type Goal } from './bench-stats.ts';
import { cpuMs, memory, resetPeak } from './proc-stats.ts';

/** PASS_BODY_MIB=50 checks that the growth stays put when the bodies are ten times larger. */
const BODY_BYTES = Number(process.env.PASS_BODY_MIB ?? 5) * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 0x61);
const ROUNDS = 60;
const WARM_UP = 10;
const ADDED_MEDIAN_GOAL: Goal = { below: 2 };
/** Flat: the edge grows by less than one body while several stream through it. */
const RSS_GOAL: Goal = { below: BODY_BYTES / (1024 * 1024) };
const PATHS = ['direct', 'bare', 'edge'] as const;
type Path = (typeof PATHS)[number];
const LABELS: Record<Path, string> = {
  direct: 'client -> origin',
  bare: 'client -> bare Node proxy -> origin',
  edge: 'client -> edge (Node host) -> origin',
};

/** Counts the bytes it receives and answers with the count; it never keeps a body. */
function startSink(): Promise<Server> {
  const server = createServer((req, res) => {
    let received = 0;
    req.on('data', (chunk: Buffer) => (received += chunk.length));
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' }).end(String(received)));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** One chunked upload of BODY_BYTES from a reused chunk, honouring backpressure; resolves with its ms. */
function upload(url: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const outgoing = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/octet-stream' } }, (incoming) => {
      let answer = '';
      incoming.on('data', (data: Buffer) => (answer += data.toString()));
      incoming.on('end', () => (answer === String(BODY_BYTES) ? resolve(performance.now() - started) : reject(new Error(`sink saw ${answer}`))));
    });
    outgoing.on('error', reject);
    let sent = 0;
    const pump = (): void => {
      while (sent < BODY_BYTES) {
        sent += CHUNK.length;
        if (!outgoing.write(CHUNK)) return void outgoing.once('drain', pump);
      }
      outgoing.end();
    };
    pump();
  });
}

/** A bare streaming proxy in a child process: what one more Node HTTP hop costs, with no edge logic. */
const BARE_PROXY = `
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true });
const target = new URL(process.argv[1]);
const server = http.createServer((req, res) => {
  const out = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { 'content-type': req.headers['content-type'] }, agent }, (answer) => {
    res.writeHead(answer.statusCode, answer.headers);
    answer.pipe(res);
  });
  req.pipe(out);
});
server.listen(0, '127.0.0.1', () => console.log('http://127.0.0.1:' + server.address().port));
`;

async function startBareProxy(target: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['-e', BARE_PROXY, target], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', () => reject(new Error('bare proxy exited')));
  });
  return { url, child };
}

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

export async function run(): Promise<BenchSection> {
  const sink = await startSink();
  const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
  const manifest = withOrigins({ urls: { templates: sinkUrl, profiles: sinkUrl, fragments: sinkUrl }, label: 'bench-pass' });
  const edge = await startEdgeProcess(manifest);
  const bare = await startBareProxy(sinkUrl);
  const agents = { direct: new Agent({ keepAlive: true }), bare: new Agent({ keepAlive: true }), edge: new Agent({ keepAlive: true }) };
  try {
    const targets = { direct: `${sinkUrl}/upload`, bare: `${bare.url}/upload`, edge: `${edge.url}/upload` };
    for (let i = 0; i < WARM_UP; i++) {
      for (const path of PATHS) await upload(targets[path], agents[path]);
    }
    const pids = { bare: bare.child.pid ?? 0, edge: edge.pid };
    const before = { bare: memory(pids.bare), edge: memory(pids.edge) };
    const peakReset = resetPeak(pids.bare) && resetPeak(pids.edge);
    const cpuBefore = { bare: cpuMs(pids.bare), edge: cpuMs(pids.edge) };
    const times = { direct: [] as number[], bare: [] as number[], edge: [] as number[] };
    for (let i = 0; i < ROUNDS; i++) {
      // Rotate which goes first, so no path always runs on a warmer machine.
      for (let k = 0; k < PATHS.length; k++) {
        const path = PATHS[(i + k) % PATHS.length] ?? 'direct';
        times[path].push(await upload(targets[path], agents[path]));
      }
    }
    // CPU per upload is steadier than wall time on a shared machine: other processes' load stretches
    // a run's wall time but not the CPU the proxy itself spends.
    const cpuPerUpload = (path: 'bare' | 'edge'): number => (cpuMs(pids[path]) - cpuBefore[path]) / ROUNDS;
    const edgeCpu = cpuPerUpload('edge');
    const bareCpu = cpuPerUpload('bare');
    const growthMiB = (path: 'bare' | 'edge'): number => {
      const [start, end] = [before[path], memory(pids[path])];
      return start && end && peakReset ? (end.peak - start.rss) / (1024 * 1024) : NaN;
    };
    const rssGrowthMiB = growthMiB('edge');
    const bareGrowthMiB = growthMiB('bare');
    const addedMedian = percentile(times.edge, 50) - percentile(times.direct, 50);
    const addedP99 = percentile(times.edge, 99) - percentile(times.direct, 99);
    const overBare = percentile(times.edge, 50) - percentile(times.bare, 50);
    const row = (path: Path) => ({
      path: LABELS[path],
      'median ms': fmt(percentile(times[path], 50)),
      'p99 ms': fmt(percentile(times[path], 99)),
      'MB/s (median)': fmt(BODY_BYTES / 1e6 / (percentile(times[path], 50) / 1000)),
    });
    return {
      name: `Pass-through: ${ROUNDS} chunked ${BODY_BYTES / (1024 * 1024)} MiB POSTs per path, rotating (proxy and edge in child processes)`,
      rows: PATHS.map(row),
      summary: {
        bareProxyAddedMedianMs: Number(fmt(percentile(times.bare, 50) - percentile(times.direct, 50))),
        edgeOverBareProxyMedianMs: Number(fmt(overBare)),
        // The edge's own cost: what it adds over any Node HTTP hop, which the direct path lacks.
        edgeOverBareGoal: `< ${(ADDED_MEDIAN_GOAL as { below: number }).below} ms: ${mark(ADDED_MEDIAN_GOAL, overBare)}`,
        edgeCpuMsPerUpload: Number(fmt(edgeCpu)),
        bareProxyCpuMsPerUpload: Number(fmt(bareCpu)),
        addedMedianMs: Number(fmt(addedMedian)),
        addedP99Ms: Number(fmt(addedP99)),
        addedMedianGoal: `< ${(ADDED_MEDIAN_GOAL as { below: number }).below} ms: ${mark(ADDED_MEDIAN_GOAL, addedMedian)}`,
        edgePeakRssGrowthMiB: Number.isFinite(rssGrowthMiB) ? Number(fmt(rssGrowthMiB)) : 'not measurable here (needs /proc clear_refs)',
        bareProxyPeakRssGrowthMiB: Number.isFinite(bareGrowthMiB) ? Number(fmt(bareGrowthMiB)) : 'n/a',
        edgeRssGoal: Number.isFinite(rssGrowthMiB) ? `< ${(RSS_GOAL as { below: number }).below} MiB (one body): ${mark(RSS_GOAL, rssGrowthMiB)}` : 'n/a',
      },
    };
  } finally {
    for (const agent of Object.values(agents)) agent.destroy();
    bare.child.kill('SIGTERM');
    await edge.stop();
    await new Promise<void>((resolve) => sink.close(() => resolve()));
  }
}
