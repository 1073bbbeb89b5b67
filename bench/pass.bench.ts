/**
 * Pass-through cost on the Node host: 5 MiB POSTs straight to a sink origin and through the edge
 * (in a child process, `scripts/edge.ts`) in the same run, alternating, so the machine's noise hits
 * both alike. Reports the median and p99 milliseconds the edge adds, and the edge's peak RSS growth
 * while the uploads stream through it (the kernel's high-water mark, reset just before). Goals: the
 * edge adds < 2 ms at the median, and its memory stays flat: well under the size of one body, which
 * whole-body buffering could not do.
 */
import { createServer, request, Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { withOrigins } from '../src/local-platform/with-origins.ts';
import { startEdgeProcess } from '../load/edge-process.ts';
import type { BenchSection } from './bench-section.ts';
import { fmt, mark, type Goal } from './bench-stats.ts';

const BODY_BYTES = 5 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 0x61);
const ROUNDS = 60;
const WARM_UP = 10;
const ADDED_MEDIAN_GOAL: Goal = { below: 2 };
/** Flat: the edge grows by less than one body while several stream through it. */
const RSS_GOAL: Goal = { below: BODY_BYTES / (1024 * 1024) };

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

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** VmRSS and VmHWM of a Linux process, bytes; writing 5 to clear_refs resets VmHWM to the current RSS. */
function memory(pid: number): { rss: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kib('VmRSS'), peak: kib('VmHWM') };
  } catch {
    return null;
  }
}

function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

export async function run(): Promise<BenchSection> {
  const sink = await startSink();
  const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
  const manifest = withOrigins({ urls: { templates: sinkUrl, profiles: sinkUrl, fragments: sinkUrl }, label: 'bench-pass' });
  const edge = await startEdgeProcess(manifest);
  const agents = { direct: new Agent({ keepAlive: true }), edge: new Agent({ keepAlive: true }) };
  try {
    const targets = { direct: `${sinkUrl}/upload`, edge: `${edge.url}/upload` };
    for (let i = 0; i < WARM_UP; i++) {
      await upload(targets.direct, agents.direct);
      await upload(targets.edge, agents.edge);
    }
    const before = memory(edge.pid);
    const peakReset = resetPeak(edge.pid);
    const times = { direct: [] as number[], edge: [] as number[] };
    for (let i = 0; i < ROUNDS; i++) {
      // Alternate which goes first, so neither path always runs on a warmer machine.
      const order = i % 2 === 0 ? (['direct', 'edge'] as const) : (['edge', 'direct'] as const);
      for (const path of order) times[path].push(await upload(targets[path], agents[path]));
    }
    const after = memory(edge.pid);
    const rssGrowthMiB = before && after && peakReset ? (after.peak - before.rss) / (1024 * 1024) : NaN;
    const addedMedian = percentile(times.edge, 50) - percentile(times.direct, 50);
    const addedP99 = percentile(times.edge, 99) - percentile(times.direct, 99);
    const row = (path: 'direct' | 'edge') => ({
      path: path === 'direct' ? 'client -> origin' : 'client -> edge (Node host) -> origin',
      'median ms': fmt(percentile(times[path], 50)),
      'p99 ms': fmt(percentile(times[path], 99)),
      'MB/s (median)': fmt(BODY_BYTES / 1e6 / (percentile(times[path], 50) / 1000)),
    });
    return {
      name: `Pass-through: ${ROUNDS} chunked 5 MiB POSTs each way, alternating (edge in a child process)`,
      rows: [row('direct'), row('edge')],
      summary: {
        addedMedianMs: Number(fmt(addedMedian)),
        addedP99Ms: Number(fmt(addedP99)),
        addedMedianGoal: `< ${(ADDED_MEDIAN_GOAL as { below: number }).below} ms: ${mark(ADDED_MEDIAN_GOAL, addedMedian)}`,
        edgePeakRssGrowthMiB: Number.isFinite(rssGrowthMiB) ? Number(fmt(rssGrowthMiB)) : 'not measurable here (needs /proc clear_refs)',
        edgeRssGoal: Number.isFinite(rssGrowthMiB) ? `< ${(RSS_GOAL as { below: number }).below} MiB (one body): ${mark(RSS_GOAL, rssGrowthMiB)}` : 'n/a',
      },
    };
  } finally {
    agents.direct.destroy();
    agents.edge.destroy();
    await edge.stop();
    await new Promise<void>((resolve) => sink.close(() => resolve()));
  }
}
