/**
 * Page latency with the profile store healthy, slow (10× the budget), hanging and down, through the
 * real local stack (origin + Node host, in this process). The goal (issue 4): p99 under each fault
 * stays within the profile budget + 10 ms of the healthy p99, because the edge stops waiting at the
 * budget and renders from context. Each scenario runs on a fresh stack with fresh visitors so the edge profile cache
 * and the assembled-page cache do not hide the store. Under a sustained fault the circuit breaker opens
 * after a few failures, so most requests skip the store: the outcome column shows the mix.
 */
import { startLocalStack } from '../support/local-stack.ts';
import { loadManifest } from '../src/local-platform/manifest.ts';
import { signedVid } from '../src/local-platform/signed-visitor.ts';
import type { BenchSection } from './bench-section.ts';
import type { Fault } from '../origin/faults/fault.ts';

const REQUESTS = 300;
const CONCURRENCY = 4;
const BUDGET_MS = 50;

const SCENARIOS: Array<{ name: string; fault: Fault | null }> = [
  { name: 'healthy', fault: null },
  { name: 'slow (10x budget)', fault: { kind: 'latency', ms: BUDGET_MS * 10 } },
  { name: 'hanging', fault: { kind: 'hang' } },
  { name: 'down (503)', fault: { kind: 'status', status: 503 } },
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

export async function run(): Promise<BenchSection> {
  const manifest = loadManifest('fastly.toml');
  const rows: BenchSection['rows'] = [];
  let next = 0;
  let healthyP99 = NaN;
  let worstDelta = 0;
  for (const scenario of SCENARIOS) {
    // A fresh stack per scenario: empty caches and a closed circuit breaker.
    const stack = await startLocalStack();
    try {
      // Warm-up: JIT, sockets and the template/fragment caches, so no run measures a cold start.
      for (let i = 0; i < 50; i++) await (await fetch(stack.url('/category/running'))).arrayBuffer();
      const eventsBefore = stack.events().length;
      if (scenario.fault) stack.origin.faults.set('profiles', scenario.fault);
      const cookies = await Promise.all(
        Array.from({ length: REQUESTS }, async () => `consent=personalization; vid=${await signedVid(manifest, `u${String(next++ % 10_000).padStart(5, '0')}`)}`),
      );
      const latencies: number[] = [];
      let failures = 0;
      const worker = async (): Promise<void> => {
        for (let cookie = cookies.pop(); cookie !== undefined; cookie = cookies.pop()) {
          const started = performance.now();
          const response = await fetch(stack.url('/category/running'), { headers: { cookie } });
          await response.arrayBuffer();
          latencies.push(performance.now() - started);
          if (response.status !== 200) failures++;
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      await stack.edge.settled();
      latencies.sort((a, b) => a - b);
      const p99 = percentile(latencies, 99);
      if (!scenario.fault) healthyP99 = p99;
      else worstDelta = Math.max(worstDelta, p99 - healthyP99);
      const outcomes = new Map<string, number>();
      for (const event of stack.events().slice(eventsBefore)) {
        const outcome = (event.profile as { outcome?: string } | undefined)?.outcome ?? '?';
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }
      rows.push({
        scenario: scenario.name,
        'profile outcomes': [...outcomes].map(([outcome, count]) => `${outcome} ${count}`).join(', '),
        requests: latencies.length,
        'non-200': failures,
        'p50 ms': percentile(latencies, 50).toFixed(1),
        'p99 ms': p99.toFixed(1),
        'p99 - healthy p99 ms': scenario.fault ? (p99 - healthyP99).toFixed(1) : '-',
      });
    } finally {
      stack.origin.faults.clear();
      await stack.close();
    }
  }
  return {
    name: `Page latency under profile-store faults (budget ${BUDGET_MS} ms, ${REQUESTS} pages each, ${CONCURRENCY} in flight)`,
    rows,
    summary: {
      'worst p99 increase over healthy (ms)': Number(worstDelta.toFixed(1)),
      'target: within budget + 10 ms': BUDGET_MS + 10,
      'target met': worstDelta <= BUDGET_MS + 10,
    },
  };
}
