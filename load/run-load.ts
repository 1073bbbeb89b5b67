/**
 * One load run against the local stack: the real local origin in this process with jittered
 * latency on every backend, the Node-host edge in a child process (so its peak RSS is its own),
 * and an open-model generator sending a mix of anonymous and consenting visitors. Every page is
 * checked for cross-visitor leaks: per-visitor content must carry only the requesting visitor's id.
 */
import { Agent, request } from 'node:http';
import { startOrigin } from '../origin/start-origin.ts';
import type { FaultSpec } from '../origin/faults/fault.ts';
import { loadManifest } from '../src/local-platform/manifest.ts';
import { signedVid } from '../src/local-platform/signed-visitor.ts';
import { withOrigins } from '../src/local-platform/with-origins.ts';
import { startEdgeProcess } from './edge-process.ts';
import { quantile, runOpenModel } from './open-model.ts';

export interface LoadOptions {
  rate: number;
  durationMs: number;
  /** Distinct consenting visitors (ids u00000...); half the requests are anonymous. */
  visitors?: number;
  maxInFlight?: number;
}

export interface LoadReport {
  rate: number;
  durationS: number;
  scheduled: number;
  completed: number;
  errors: number;
  late: number;
  dropped: number;
  throughputRps: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  /** Pages showing another visitor's per-visitor content. Must be 0. */
  leaks: number;
  /** Pages that showed the requesting visitor's own per-visitor content (proves the check is live). */
  ownContent: number;
  peakEdgeRssMiB: number;
  memorySource: string;
}

/** Jitter on every backend: a long-tailed delay, sometimes past the profile and fragment budgets. */
const JITTER: FaultSpec[] = [
  { backend: 'templates', kind: 'jitter', ms: 5, maxMs: 100 },
  { backend: 'profiles', kind: 'jitter', ms: 5, maxMs: 80 },
  { backend: 'fragments', kind: 'jitter', ms: 10, maxMs: 200 },
];

// `/account` carries the per-visitor "Picked for you" block (`data-visitor`), which the leak check reads.
const PATHS = ['/', '/account', '/category/running', '/category/jackets', '/product/running/sku-1001'];

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const origin = await startOrigin({ templatesPort: 0, profilesPort: 0, fragmentsPort: 0, quiet: true, faults: JITTER });
  const manifestPath = withOrigins({ urls: origin.urls, label: 'edge-load' });
  const edge = await startEdgeProcess(manifestPath);
  const maxInFlight = options.maxInFlight ?? 256;
  const agent = new Agent({ keepAlive: true, maxSockets: maxInFlight });
  try {
    const manifest = loadManifest(manifestPath);
    const ids = Array.from({ length: options.visitors ?? 200 }, (_, i) => `u${String(i).padStart(5, '0')}`);
    const cookies = await Promise.all(ids.map(async (id) => `consent=personalization,analytics; vid=${await signedVid(manifest, id)}`));
    let leaks = 0;
    let ownContent = 0;
    const send = async (index: number): Promise<boolean> => {
      const visitor = index % 2 === 0 ? (index / 2) % ids.length : null;
      const path = PATHS[index % PATHS.length] ?? '/';
      try {
        const page = await get(agent, `${edge.url}${path}`, visitor === null ? {} : { cookie: cookies[visitor] ?? '' });
        const seen = [...page.body.matchAll(/data-visitor="([^"]*)"/g)].map((m) => m[1]);
        const own = visitor === null ? null : ids[visitor];
        if (seen.some((id) => id !== own)) leaks++;
        if (own !== null && seen.includes(own)) ownContent++;
        return page.status === 200;
      } catch {
        return false;
      }
    };
    const result = await runOpenModel({ rate: options.rate, durationMs: options.durationMs, maxInFlight, send });
    return {
      rate: options.rate,
      durationS: options.durationMs / 1000,
      scheduled: result.scheduled,
      completed: result.completed,
      errors: result.errors,
      late: result.late,
      dropped: result.dropped,
      throughputRps: round((result.completed / result.elapsedMs) * 1000),
      p50Ms: round(quantile(result.latenciesMs, 0.5)),
      p99Ms: round(quantile(result.latenciesMs, 0.99)),
      p999Ms: round(quantile(result.latenciesMs, 0.999)),
      leaks,
      ownContent,
      peakEdgeRssMiB: round(edge.peakRssBytes() / (1024 * 1024)),
      memorySource: `edge child process ${process.platform === 'linux' ? '/proc VmRSS/VmHWM' : 'ps rss'}`,
    };
  } finally {
    agent.destroy();
    await edge.stop();
    await origin.close();
  }
}

function get(agent: Agent, url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { agent, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      incoming.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
