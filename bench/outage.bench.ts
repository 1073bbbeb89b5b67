/**
 * `npm run bench -- outage`: the template origin hanging, and a cold stampede, through the real
 * local stack (origin + Node host, in this process).
 *
 * Hanging: a page with a last good copy, its readthrough and assembled copies purged, then the
 * origin hangs. The first request pays the first-byte timeout (2 s, as in fastly.toml); the goal
 * is p99 ≤ 50 ms for every request after it (the template breaker serves the last good copy at
 * once and probes in the background), against the healthy p99 of the same requests in the same run.
 * Stampede: 50 concurrent first requests for one anonymous page; the goal is 1 template fetch and
 * 1 assembly (the others are served the page it stored).
 */
import { startLocalStack, type LocalStack } from '../support/local-stack.ts';
import type { BenchSection } from './bench-section.ts';
import { fmt, percentile } from './bench-stats.ts';
import { TEMPLATE_BREAKER_OPTIONS } from '../src/core/page/template-breaker.ts';

const FIRST_BYTE_TIMEOUT_MS = 2_000;
const REQUESTS = 300;
const CONCURRENCY = 4;
const P99_GOAL_MS = 50;
const STAMPEDE = 50;
/** A page whose includes run on the stack's fragment budget (no include carries its own timeout). */
const PAGE = '/product/running/sku-1001';

async function timedRun(stack: LocalStack, path: string, n: number, concurrency: number): Promise<number[]> {
  let left = n;
  const latencies: number[] = [];
  const worker = async (): Promise<void> => {
    while (left > 0) {
      left--;
      const started = performance.now();
      await (await fetch(stack.url(path))).arrayBuffer();
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return latencies.sort((a, b) => a - b);
}

async function outage(stack: LocalStack): Promise<BenchSection['rows']> {
  const path = `${PAGE}?bench=outage`;
  await timedRun(stack, path, 50, 1);
  await stack.edge.settled();
  // Healthy, with the same work per request as during the outage: no stored page to answer.
  const healthy: number[] = [];
  for (let i = 0; i < REQUESTS / CONCURRENCY; i++) {
    await stack.edge.purge('template-product');
    healthy.push(...(await timedRun(stack, path, CONCURRENCY, CONCURRENCY)));
  }
  healthy.sort((a, b) => a - b);
  await stack.edge.settled();
  await stack.edge.purge('template');
  stack.origin.faults.set('templates', { kind: 'hang' });
  const askedBefore = stack.origin.requests.count('templates');
  const first = await timedRun(stack, path, 1, 1);
  const after = await timedRun(stack, path, REQUESTS, CONCURRENCY);
  const probes = stack.origin.requests.count('templates') - askedBefore - 1;
  const row = (scenario: string, l: number[], note: string) => ({
    scenario, requests: l.length, 'p50 ms': fmt(percentile(l, 50)), 'p99 ms': fmt(percentile(l, 99)), 'max ms': fmt(l[l.length - 1] ?? NaN), note,
  });
  return [
    row('healthy origin, no stored page', healthy, ''),
    row('origin hangs: first request', first, `paid the ${FIRST_BYTE_TIMEOUT_MS} ms first-byte timeout`),
    row('origin hangs: every request after it', after, `${probes} background probes reached the origin`),
  ];
}

async function stampede(stack: LocalStack, round: number): Promise<{ fetches: number; assemblies: number; p99: number }> {
  const path = `${PAGE}?bench=stampede-${round}`;
  const before = stack.events().length;
  const latencies = await timedRun(stack, path, STAMPEDE, STAMPEDE);
  await stack.edge.settled();
  const events = stack.events().slice(before).filter((e) => e.path === PAGE);
  return { fetches: stack.origin.requests.count('templates', path), assemblies: events.filter((e) => e.pageCache !== 'HIT').length, p99: percentile(latencies, 99) };
}

/** Waits out the breaker's cool-down, then lets one request's probe close it. */
async function closeBreaker(stack: LocalStack): Promise<void> {
  await stack.edge.settled();
  await new Promise((resolve) => setTimeout(resolve, TEMPLATE_BREAKER_OPTIONS.cooldownMs + 100));
  await timedRun(stack, `${PAGE}?bench=outage`, 1, 1);
  await stack.edge.settled();
}

export async function run(): Promise<BenchSection> {
  const stack = await startLocalStack({ backends: { templates: { first_byte_timeout_ms: FIRST_BYTE_TIMEOUT_MS } } });
  try {
    const rows = await outage(stack);
    stack.origin.faults.clear();
    await closeBreaker(stack);
    const rounds = [];
    for (let round = 0; round < 3; round++) rounds.push(await stampede(stack, round));
    for (const [i, r] of rounds.entries()) {
      rows.push({ scenario: `cold stampede of ${STAMPEDE} (round ${i + 1})`, requests: STAMPEDE, 'p50 ms': '-', 'p99 ms': fmt(r.p99), 'max ms': '-', note: `${r.fetches} template fetches, ${r.assemblies} assemblies` });
    }
    const outageP99 = Number(rows[2]?.['p99 ms']);
    const healthyP99 = Number(rows[0]?.['p99 ms']);
    return {
      name: `Template origin hanging (first-byte timeout ${FIRST_BYTE_TIMEOUT_MS} ms, ${REQUESTS} pages, ${CONCURRENCY} in flight) and cold stampedes`,
      rows,
      summary: {
        'outage p99 after the first failure (ms)': outageP99,
        'outage p99 / healthy p99': Number((outageP99 / healthyP99).toFixed(2)),
        'target: outage p99 ≤ 50 ms': outageP99 <= P99_GOAL_MS,
        // On a loaded machine even the healthy p99 is past 50 ms; this reads the same goal as a delta.
        'outage p99 within healthy p99 + 50 ms': outageP99 <= healthyP99 + P99_GOAL_MS,
        'first request / outage p99': Number((Number(rows[1]?.['p99 ms']) / outageP99).toFixed(1)),
        'stampede: most template fetches / assemblies in a round': `${Math.max(...rounds.map((r) => r.fetches))} / ${Math.max(...rounds.map((r) => r.assemblies))}`,
        'target: 1 template fetch and 1 assembly': rounds.every((r) => r.fetches === 1 && r.assemblies === 1),
      },
    };
  } finally {
    stack.origin.faults.clear();
    await stack.close();
  }
}
