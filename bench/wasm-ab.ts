/**
 * `npx tsx bench/wasm-ab.ts BEFORE.wasm AFTER.wasm [PAIRS]`: a paired comparison of two builds of
 * the service, for a machine too busy for `npm run bench -- wasm` to show a change of a millisecond
 * or two (its per-page medians move by ±4 ms between runs at a load of ~10). Both builds run on
 * their own Wasm host against their own local origin; for each demo page, after warm-up, requests
 * alternate between the two (the order flips every pair), so both see the same machine, and the
 * figure is the median of the per-pair differences in instance vCPU, whole and after instantiation
 * (this host copies the snapshot into each instance; Compute maps it), and in the worker CPU the host
 * spent making each instance's memory before its request, outside the instance's vCPU as on
 * Compute's pooling allocator, which grows with the snapshot's pages), for the consented demo visitor
 * as in the demo-page rows of the wasm bench, with the `settings` text the demo ships
 * (wasm-guest-host.ts `AS_SHIPPED`). Then it prints each build's hostcalls and clock
 * reads per warm request (wasm-page-counts.ts), which the load does not move. Build the "before"
 * file from the older commit with `npm run build:wasm` and copy it aside first. `AB_VISITOR=anonymous`
 * sends no cookie: the pages an anonymous visitor gets, from the assembled-page cache once stored;
 * `AB_VISITOR=session` adds the `sess` cookie each build sets on a category page (a returning visitor).
 */
import { consentingVisitorCookie } from '../src/local-platform/signed-visitor.ts';
import { loadManifest } from '../src/local-platform/manifest.ts';
import { spread } from './bench-stats.ts';
import { AS_SHIPPED, startGuest, type GuestStack } from './wasm-guest-host.ts';
import { pageCounts } from './wasm-page-counts.ts';
import { readAbArgs } from './ab-args.ts';
import { alternate } from './ab-pairs.ts';
import { benchPriorityText } from './bench-priority.ts';

const PAGES = ['/', '/category/running', '/product/running/sku-1001'];
const WARMUP = 5;

const { before, after, count: pairs } = readAbArgs('wasm-ab.ts', 'PAIRS', 60);
/** `AB_VISITOR=anonymous`: requests without cookies (pages anonymous visitors get from the page cache). */
const anonymous = process.env.AB_VISITOR === 'anonymous';
/** `AB_VISITOR=session`: the consented visitor also holds the `sess` cookie each build sets itself. */
const withSession = process.env.AB_VISITOR === 'session';

interface Side {
  stack: GuestStack;
  cookie: string;
}

async function side(wasmPath: string): Promise<Side> {
  const stack = await startGuest(wasmPath, false, false, AS_SHIPPED);
  if (anonymous) return { stack, cookie: '' };
  const cookie = await consentingVisitorCookie(loadManifest(stack.manifestPath), 'demo-runner');
  return { stack, cookie: withSession ? `${cookie}; ${await sessionOf(stack, cookie)}` : cookie };
}

/** The `sess` cookie this build itself sets on a category page: each side reads the format it writes. */
async function sessionOf(stack: GuestStack, cookie: string): Promise<string> {
  const response = await fetch(stack.url('/category/shoes'), { headers: { cookie } });
  await response.arrayBuffer();
  await stack.host.settled();
  const sess = response.headers.getSetCookie().find((line) => line.startsWith('sess='));
  if (!sess) throw new Error('no sess cookie set on /category/shoes');
  return sess.slice(0, sess.indexOf(';'));
}

/** Instance vCPU (ms) of one request, the same after instantiation (the run alone), and its memory's making before it. */
async function once({ stack, cookie }: Side, path: string): Promise<{ cpu: number; run: number; memory: number }> {
  const response = await fetch(stack.url(path), { headers: cookie ? { cookie } : {} });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
  await stack.host.settled();
  const cpu = stack.host.vcpuMs.at(-1)!;
  return { cpu, run: cpu - stack.host.startMs.at(-1)!, memory: stack.host.memoryMs.at(-1)! };
}

/** "before X ms  after Y ms  after − before: median …" for one measure of the pairs. */
function line(pairs: ReadonlyArray<{ a: number; b: number }>): string {
  const d = spread(pairs.map(({ a, b }) => b - a));
  const median = (xs: number[]): string => spread(xs).median.toFixed(2);
  return `before ${median(pairs.map((p) => p.a))} ms  after ${median(pairs.map((p) => p.b))} ms  after − before: median ${d.median.toFixed(2)} ms (min ${d.min.toFixed(1)}, max ${d.max.toFixed(1)})`;
}

const a = await side(before);
const b = await side(after);
try {
  console.log(`paired instance vCPU, ${pairs} pairs per page${anonymous ? ', anonymous visitor' : ''}: before ${before}, after ${after} (${benchPriorityText()})`);
  for (const path of PAGES) {
    const measured = await alternate(a, b, WARMUP, pairs, (side) => once(side, path));
    const of = (key: 'cpu' | 'run' | 'memory'): Array<{ a: number; b: number }> => measured.map((p) => ({ a: p.a[key], b: p.b[key] }));
    console.log(`${path.padEnd(28)} whole instance: ${line(of('cpu'))}`);
    console.log(`${''.padEnd(28)} run alone:      ${line(of('run'))}`);
    console.log(`${''.padEnd(28)} memory before:  ${line(of('memory'))}`);
  }
} finally {
  await a.stack.close();
  await b.stack.close();
}

// The same pages counted, which the load cannot move (one warm request each).
const [countsBefore, countsAfter] = [await pageCounts(before, PAGES, 6, anonymous), await pageCounts(after, PAGES, 6, anonymous)];
console.log('hostcalls and clock reads (≈ 2 per promise) per warm request, before → after:');
for (const path of PAGES) {
  const x = countsBefore.get(path)!;
  const y = countsAfter.get(path)!;
  console.log(`${path.padEnd(28)} hostcalls ${x.hostcalls} → ${y.hostcalls}  clock reads ${x.clockReads} → ${y.clockReads}`);
}
