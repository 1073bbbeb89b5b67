/**
 * `npx tsx bench/wasm-ab.ts BEFORE.wasm AFTER.wasm [PAIRS]`: a paired comparison of two builds of
 * the service, for a machine too busy for `npm run bench -- wasm` to show a change of a millisecond
 * or two (its per-page medians move by ±4 ms between runs at a load of ~10). Both builds run on
 * their own Wasm host against their own local origin; for each demo page, after warm-up, requests
 * alternate between the two (the order flips every pair), so both see the same machine, and the
 * figure is the median of the per-pair differences in instance vCPU (the consented demo visitor,
 * as in the demo-page rows of the wasm bench). Then it prints each build's hostcalls and clock
 * reads per warm request (wasm-page-counts.ts), which the load does not move. Build the "before"
 * file from the older commit with `npm run build:wasm` and copy it aside first.
 */
import { signedVid } from '../src/local-platform/signed-visitor.ts';
import { loadManifest } from '../src/local-platform/manifest.ts';
import { spread } from './bench-stats.ts';
import { startGuest, type GuestStack } from './wasm-guest-host.ts';
import { pageCounts } from './wasm-page-counts.ts';
import { readAbArgs } from './ab-args.ts';

const PAGES = ['/', '/category/running', '/product/running/sku-1001'];
const WARMUP = 5;

const { before, after, count: pairs } = readAbArgs('wasm-ab.ts', 'PAIRS', 60);

interface Side {
  stack: GuestStack;
  cookie: string;
}

async function side(wasmPath: string): Promise<Side> {
  const stack = await startGuest(wasmPath);
  return { stack, cookie: `consent=personalization,analytics; vid=${await signedVid(loadManifest(stack.manifestPath), 'demo-runner')}` };
}

/** Instance vCPU (ms) of one request. */
async function once({ stack, cookie }: Side, path: string): Promise<number> {
  const response = await fetch(stack.url(path), { headers: { cookie } });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
  await stack.host.settled();
  return stack.host.vcpuMs[stack.host.vcpuMs.length - 1]!;
}

const a = await side(before);
const b = await side(after);
try {
  console.log(`paired instance vCPU, ${pairs} pairs per page: before ${before}, after ${after}`);
  for (const path of PAGES) {
    for (let i = 0; i < WARMUP; i++) {
      await once(a, path);
      await once(b, path);
    }
    const xa: number[] = [];
    const xb: number[] = [];
    const diff: number[] = [];
    for (let i = 0; i < pairs; i++) {
      let va: number;
      let vb: number;
      if (i % 2 === 0) {
        va = await once(a, path);
        vb = await once(b, path);
      } else {
        vb = await once(b, path);
        va = await once(a, path);
      }
      xa.push(va);
      xb.push(vb);
      diff.push(vb - va);
    }
    const d = spread(diff);
    console.log(`${path.padEnd(28)} before ${spread(xa).median.toFixed(2)} ms  after ${spread(xb).median.toFixed(2)} ms  after − before: median ${d.median.toFixed(2)} ms (min ${d.min.toFixed(1)}, max ${d.max.toFixed(1)})`);
  }
} finally {
  await a.stack.close();
  await b.stack.close();
}

// The same pages counted, which the load cannot move (one warm request each).
const [countsBefore, countsAfter] = [await pageCounts(before, PAGES), await pageCounts(after, PAGES)];
console.log('hostcalls and clock reads (≈ 2 per promise) per warm request, before → after:');
for (const path of PAGES) {
  const x = countsBefore.get(path)!;
  const y = countsAfter.get(path)!;
  console.log(`${path.padEnd(28)} hostcalls ${x.hostcalls} → ${y.hostcalls}  clock reads ${x.clockReads} → ${y.clockReads}`);
}
