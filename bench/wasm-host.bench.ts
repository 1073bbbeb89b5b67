/**
 * The compiled guest in the Wasm host next to the Node host, in one run on the same machine: time
 * per request (p50/p99 of 200 sequential requests per demo page after 20 warm-ups) and peak memory.
 * Requests come from the consented demo visitor `demo-runner`, whose per-visitor recommendations keep
 * pages out of the assembled-page cache, so every request runs the full decision and ESI assembly
 * (templates and shared fragments come from the edge caches after warm-up, as in production).
 * Memory is this process's RSS, sampled every 10 ms while a host serves: both hosts run in-process
 * (the Wasm host's guest instances in worker threads), so the figure is the peak RSS during each run
 * and its growth over the RSS just before that host started. The Wasm host makes each instance's
 * memory before its request, outside the guest's vCPU: its worker CPU is shown beside the vCPU.
 */
import { loadManifest } from '../src/local-platform/manifest.ts';
import { consentingVisitorCookie } from '../src/local-platform/signed-visitor.ts';
import { nodeDriver } from '../support/contract/node-driver.ts';
import { prepareWasm, startWasmContractStack } from '../support/contract/wasm-driver.ts';
import type { ContractStack } from '../support/contract/runtime-driver.ts';
import type { BenchSection } from './bench-section.ts';

const PAGES = ['/', '/category/running', '/product/running/sku-1001'];
const WARMUP = 20;
const REQUESTS = 200;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const mib = (bytes: number) => bytes / (1024 * 1024);

interface HostRun {
  latencies: Map<string, number[]>;
  peakRss: number;
  rssBefore: number;
  vcpuMs: number[];
  /** Worker CPU making each instance's memory before its request, outside `vcpuMs` (the Wasm host; wasm-host/spare-memory.ts). */
  memoryMs: number[];
}

async function measure(start: () => Promise<ContractStack & { host?: { vcpuMs: number[]; memoryMs: number[] } }>, cookie: string): Promise<HostRun> {
  (globalThis as { gc?: () => void }).gc?.();
  const rssBefore = process.memoryUsage.rss();
  let peakRss = rssBefore;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 10);
  const stack = await start();
  const latencies = new Map<string, number[]>();
  try {
    for (const path of PAGES) {
      for (let i = 0; i < WARMUP; i++) await (await fetch(stack.url(path), { headers: { cookie } })).arrayBuffer();
      const times: number[] = [];
      for (let i = 0; i < REQUESTS; i++) {
        const started = performance.now();
        const response = await fetch(stack.url(path), { headers: { cookie } });
        await response.arrayBuffer();
        times.push(performance.now() - started);
        if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
      }
      latencies.set(path, times.sort((a, b) => a - b));
    }
    await stack.settled();
  } finally {
    clearInterval(sampler);
    await stack.close();
  }
  const vcpuMs = stack.host?.vcpuMs.slice(-REQUESTS * PAGES.length).sort((a, b) => a - b) ?? [];
  const memoryMs = stack.host?.memoryMs.slice(-REQUESTS * PAGES.length).sort((a, b) => a - b) ?? [];
  return { latencies, peakRss: Math.max(peakRss, process.memoryUsage.rss()), rssBefore, vcpuMs, memoryMs };
}

export async function run(): Promise<BenchSection> {
  const missing = await prepareWasm();
  if (missing) return { name: 'Wasm host vs Node host', rows: [], summary: { skipped: missing } };
  const cookie = await consentingVisitorCookie(loadManifest('fastly.toml'), 'demo-runner');
  const node = await measure(() => nodeDriver.start(), cookie);
  const wasm = await measure(() => startWasmContractStack(), cookie);
  const rows: BenchSection['rows'] = PAGES.map((path) => {
    const n = node.latencies.get(path) ?? [];
    const w = wasm.latencies.get(path) ?? [];
    return {
      page: path,
      'node p50 ms': percentile(n, 50).toFixed(2),
      'node p99 ms': percentile(n, 99).toFixed(2),
      'wasm p50 ms': percentile(w, 50).toFixed(2),
      'wasm p99 ms': percentile(w, 99).toFixed(2),
      'p50 ratio wasm/node': (percentile(w, 50) / percentile(n, 50)).toFixed(1),
    };
  });
  const all = (run: HostRun) => [...run.latencies.values()].flat().sort((a, b) => a - b);
  const p50Ratio = percentile(all(wasm), 50) / percentile(all(node), 50);
  return {
    name: `Wasm host vs Node host (${REQUESTS} sequential requests per page after ${WARMUP} warm-ups, consented demo-runner)`,
    rows,
    summary: {
      'p50 ratio wasm/node (all pages)': Number(p50Ratio.toFixed(2)),
      'p99 ratio wasm/node (all pages)': Number((percentile(all(wasm), 99) / percentile(all(node), 99)).toFixed(2)),
      'wasm guest vCPU p50 ms': Number(percentile(wasm.vcpuMs, 50).toFixed(2)),
      'wasm guest vCPU p99 ms': Number(percentile(wasm.vcpuMs, 99).toFixed(2)),
      // Made by the host while the worker waits for the request, so in no vCPU figure above (Compute's pooling allocator keeps slots ready).
      'wasm host memory before each request p50 ms': Number(percentile(wasm.memoryMs, 50).toFixed(2)),
      'wasm host memory before each request p99 ms': Number(percentile(wasm.memoryMs, 99).toFixed(2)),
      'wasm memory before each request': 'worker thread CPU making each instance\'s WebAssembly.Memory after the previous answer, before its request (wasm-host/spare-memory.ts): in no guest vCPU figure',
      'node peak RSS MiB': Number(mib(node.peakRss).toFixed(1)),
      'node RSS growth MiB': Number(mib(node.peakRss - node.rssBefore).toFixed(1)),
      'wasm peak RSS MiB': Number(mib(wasm.peakRss).toFixed(1)),
      'wasm RSS growth MiB': Number(mib(wasm.peakRss - wasm.rssBefore).toFixed(1)),
      'memory measured': 'process RSS sampled every 10 ms during each host run (both hosts in-process; Wasm guests in worker threads)',
    },
  };
}
