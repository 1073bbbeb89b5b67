/**
 * `npx tsx bench/wasm-hostile-ab.ts BEFORE.wasm AFTER.wasm [PAIRS]`: the "hostile request" rows
 * (wasm-hostile-requests.ts) paired: both builds on their own Wasm host and origins, requests
 * alternating between them per case (the order flips every pair), and per case the median of the
 * per-pair differences in instance vCPU. `AB_ONLY=regex` keeps the cases whose name matches.
 */
import { spread } from './bench-stats.ts';
import { readAbArgs } from './ab-args.ts';
import { alternate } from './ab-pairs.ts';
import { benchPriorityText } from './bench-priority.ts';
import { HOSTILE_CASES, hostileOnce, visitorCookie } from './wasm-hostile-requests.ts';
import { startHostileStack } from './wasm-hostile-stack.ts';

const { before, after, count: pairs } = readAbArgs('wasm-hostile-ab.ts', 'PAIRS', 10);
const only = process.env.AB_ONLY ? new RegExp(process.env.AB_ONLY, 'i') : null;
const a = await startHostileStack(before);
const b = await startHostileStack(after);
try {
  const [cookieA, cookieB] = [await visitorCookie(a), await visitorCookie(b)];
  console.log(`paired instance vCPU, ${pairs} pairs per case: before ${before}, after ${after} (${benchPriorityText()})`);
  for (const c of HOSTILE_CASES.filter((x) => only === null || only.test(x.name))) {
    const measured = await alternate(a, b, 1, pairs, (side) => hostileOnce(side, c, side === a ? cookieA : cookieB));
    const d = spread(measured.map(({ a: x, b: y }) => y - x));
    const median = (xs: number[]): string => spread(xs).median.toFixed(2);
    console.log(`${c.name.padEnd(60)} before ${median(measured.map((p) => p.a))} ms  after ${median(measured.map((p) => p.b))} ms  after − before: median ${d.median.toFixed(2)} (min ${d.min.toFixed(2)}, max ${d.max.toFixed(2)})`);
  }
} finally {
  await a.close();
  await b.close();
}
