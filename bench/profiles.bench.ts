/**
 * `npm run bench -- profiles`: the feedback loop's write path. Throughput of
 * `POST /profiles/{id}/events` through the real profile service (HTTP, keep-alive, 16 in flight) on
 * the embedded store (journal on disk) and, where `redis-server` is installed, on Redis beside it;
 * then click to changed page through the whole local stack on the Node host (beacon → edge →
 * store → edge → next page). Goals (issue 13): embedded ≥ 5,000 events/s, click to changed page ≤ 2 s.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOrigin } from '../origin/start-origin.ts';
import type { ProfileStoreConfig } from '../origin/profiles/open-profile-store.ts';
import { loadManifest } from '../src/local-platform/manifest.ts';
import { startLocalStack } from '../support/local-stack.ts';
import { runFeedbackLoop } from '../support/feedback-loop.ts';
import { REDIS_SERVER, startRedis } from '../support/redis-server.ts';
import type { BenchSection } from './bench-section.ts';

const CONCURRENCY = 16;
/** node:http with keep-alive: fetch (undici) costs more client CPU per request than the service under test. */
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function post(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('error', reject);
    req.end(body);
  });
}
const EVENTS = 20_000;
const VISITORS = 2_000;

interface Throughput {
  eventsPerSecond: number;
  requestsPerSecond: number;
  failures: number;
}

async function measure(store: ProfileStoreConfig, batchSize: number): Promise<Throughput> {
  const origin = await startOrigin({ quiet: true, profileStore: store });
  try {
    const base = origin.urls.profiles;
    let next = 0;
    let failures = 0;
    const requests = EVENTS / batchSize;
    const send = async (n: number): Promise<void> => {
      const id = `bench-${n % VISITORS}`;
      const events = Array.from({ length: batchSize }, (_, i) => ({ eventId: `e${n}-${i}`, type: i % 4 === 0 ? 'view' : 'click', item: `sku-${1001 + ((n + i) % 32)}`, ts: '2026-11-29T12:00:00Z' }));
      if ((await post(`${base}profiles/${id}/events`, JSON.stringify(events))) !== 202) failures++;
    };
    for (let i = 0; i < 200; i++) await send(-1 - i); // warm-up: JIT and sockets
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      for (let n = next++; n < requests; n = next++) await send(n);
    }));
    const seconds = (performance.now() - started) / 1000;
    return { eventsPerSecond: Math.round(EVENTS / seconds), requestsPerSecond: Math.round(requests / seconds), failures };
  } finally {
    await origin.close();
  }
}

async function clickToChangedPage(): Promise<number> {
  const stack = await startLocalStack();
  try {
    const result = await runFeedbackLoop({ url: stack.url, manifest: loadManifest('fastly.toml'), visitor: 'u00001', items: ['sku-1001', 'sku-1002', 'sku-1003', 'sku-1004'], deadlineMs: 10_000 });
    return result.after.segment === 'runner' ? result.clickToChangedMs : NaN;
  } finally {
    await stack.close();
  }
}

export async function run(): Promise<BenchSection> {
  const rows: BenchSection['rows'] = [];
  const dir = await mkdtemp(join(tmpdir(), 'profiles-bench-'));
  let embedded1 = NaN;
  let embedded10 = NaN;
  try {
    for (const batch of [1, 10, 32]) {
      const result = await measure({ dir: join(dir, `b${batch}`) }, batch);
      if (batch === 1) embedded1 = result.eventsPerSecond;
      if (batch === 10) embedded10 = result.eventsPerSecond;
      rows.push({ store: 'embedded (journal)', 'events/batch': batch, 'events/s': result.eventsPerSecond, 'requests/s': result.requestsPerSecond, failures: result.failures });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  if (REDIS_SERVER !== null) {
    const redis = await startRedis();
    try {
      for (const batch of [1, 10, 32]) {
        const result = await measure({ url: redis.url }, batch);
        rows.push({ store: 'redis', 'events/batch': batch, 'events/s': result.eventsPerSecond, 'requests/s': result.requestsPerSecond, failures: result.failures });
      }
    } finally {
      await redis.stop();
    }
  } else {
    rows.push({ store: 'redis (skipped: no redis-server)', 'events/batch': 0, 'events/s': 0, 'requests/s': 0, failures: 0 });
  }
  const loopMs = await clickToChangedPage();
  return {
    name: 'Profile write path (feedback loop)',
    rows,
    summary: {
      embeddedEventsPerSecondBatchesOf10: embedded10,
      embeddedEventsPerSecondSingleEventBatches: embedded1,
      embeddedGoal: 5000,
      embeddedMeetsGoal: embedded10 >= 5000,
      clickToChangedPageMsNodeHost: Math.round(loopMs),
      clickToChangedPageGoalMs: 2000,
      clickToChangedPageMeetsGoal: loopMs <= 2000,
    },
  };
}
