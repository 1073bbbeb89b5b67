/**
 * `npx tsx bench/wasm-hostile-ab.ts BEFORE.wasm AFTER.wasm [PAIRS]`: the "hostile request" rows
 * (wasm-hostile-requests.ts) paired: both builds on their own Wasm host and origins, requests
 * alternating between them per case (the order flips every pair), and per case the median of the
 * per-pair differences in instance vCPU, and in the worker CPU that made each instance's memory
 * before its request (outside that vCPU, as on Compute's pooling allocator). `AB_ONLY=regex` keeps
 * the cases whose name matches; `AB_HOST_TIME=1` adds the guest's own run (instantiation and the
 * host's hostcall code taken out), the least noisy of the three.
 */
import { spread } from './bench-stats.ts';
import { readAbArgs } from './ab-args.ts';
import { alternate } from './ab-pairs.ts';
import { benchPriorityText } from './bench-priority.ts';
import { HOSTILE_CASES, hostileOnce, hostileVisitor } from './wasm-hostile-requests.ts';
import { startHostileStack } from './wasm-hostile-stack.ts';

/** "before X ms  after Y ms  after − before: median …" for one measure of the pairs. */
function line(pairs: ReadonlyArray<{ a: number; b: number }>): string {
  const d = spread(pairs.map(({ a, b }) => b - a));
  const median = (xs: number[]): string => spread(xs).median.toFixed(2);
  return `before ${median(pairs.map((p) => p.a))} ms  after ${median(pairs.map((p) => p.b))} ms  after − before: median ${d.median.toFixed(2)} (min ${d.min.toFixed(2)}, max ${d.max.toFixed(2)})`;
}

const { before, after, count: pairs } = readAbArgs('wasm-hostile-ab.ts', 'PAIRS', 10);
const only = process.env.AB_ONLY ? new RegExp(process.env.AB_ONLY, 'i') : null;
/** `AB_HOST_TIME=1`: the host times its hostcalls, and a third line gives the guest's own run (instantiation and hostcalls out). */
const hostTime = process.env.AB_HOST_TIME === '1';
const a = await startHostileStack(before, { hostTime });
const b = await startHostileStack(after, { hostTime });
try {
  const [visitorA, visitorB] = [await hostileVisitor(a), await hostileVisitor(b)];
  console.log(`paired instance vCPU, ${pairs} pairs per case: before ${before}, after ${after} (${benchPriorityText()})`);
  console.log('each case\'s second line: the worker CPU making the instance\'s memory before the request, outside its vCPU (as on Compute\'s pooling allocator)');
  for (const c of HOSTILE_CASES.filter((x) => only === null || only.test(x.name))) {
    const measured = await alternate(a, b, 1, pairs, (side) => hostileOnce(side, c, side === a ? visitorA : visitorB));
    console.log(`${c.name.padEnd(60)} ${line(measured.map((p) => ({ a: p.a.cpu, b: p.b.cpu })))}`);
    console.log(`${'  memory made before it'.padEnd(60)} ${line(measured.map((p) => ({ a: p.a.memory, b: p.b.memory })))}`);
    if (hostTime) console.log(`${'  guest run (no instantiation, no hostcalls)'.padEnd(60)} ${line(measured.map((p) => ({ a: p.a.guest ?? NaN, b: p.b.guest ?? NaN })))}`);
  }
} finally {
  await a.close();
  await b.close();
}
