/**
 * `npx tsx bench/wasm-handler-ab.ts BEFORE.wasm AFTER.wasm [PAIRS]`: a paired comparison of two
 * handler-runs guests (bench/guest/handler-runs.ts, each built from its own commit with
 * `npx js-compute-runtime --enable-http-cache bench/guest/handler-runs.ts OUT.wasm`). Each request is
 * a fresh instance that runs the real handler twice as the consented demo visitor; for each demo
 * page the two builds alternate (the order flips every pair) and the figure is the median of the
 * per-pair differences of the first run and of the second. Instantiation and the runtime's request
 * handling are outside the clock, so it resolves smaller changes than `bench/wasm-ab.ts` (whole
 * instances, ±1–2 ms a pair): one A/B of a file against itself read within ±0.1 ms over 40 pairs.
 */
import { spread } from './bench-stats.ts';
import { readAbArgs } from './ab-args.ts';
import { AS_SHIPPED, startGuest, type GuestStack } from './wasm-guest-host.ts';
import { demoVisitorCookie, PAGES } from './wasm-demo-pages.ts';
import { parseRuns } from './wasm-handler-figures.ts';

const WARMUP = 3;
const { before, after, count: pairs } = readAbArgs('wasm-handler-ab.ts', 'PAIRS', 40);

interface Side {
  stack: GuestStack;
  cookie: string;
}

async function side(wasmPath: string): Promise<Side> {
  const stack = await startGuest(wasmPath, true, false, AS_SHIPPED);
  return { stack, cookie: await demoVisitorCookie(stack.manifestPath) };
}

/** One fresh instance's two runs of `path`, ms. */
async function runs({ stack, cookie }: Side, path: string): Promise<[number, number]> {
  const response = await fetch(stack.url(path), { headers: { cookie, 'x-handler-runs': '2' } });
  const text = await response.text();
  await stack.host.settled();
  const [first, second] = parseRuns(path, text, 2);
  return [first!.cpu / 1000, second!.cpu / 1000];
}

const fixed = (ms: number): string => ms.toFixed(2);

const sides = [await side(before), await side(after)] as const;
try {
  for (let i = 0; i < WARMUP; i++) for (const path of PAGES) for (const s of sides) await runs(s, path);
  console.log(`paired handler-only runs, ${pairs} pairs per page: before ${before}, after ${after}`);
  for (const path of PAGES) {
    const seen = { first: [[], []] as number[][], second: [[], []] as number[][], firstDiff: [] as number[], secondDiff: [] as number[] };
    for (let pair = 0; pair < pairs; pair++) {
      const order = pair % 2 === 0 ? [0, 1] : [1, 0];
      const got: Array<[number, number]> = [];
      for (const i of order) got[i] = await runs(sides[i]!, path);
      for (const i of [0, 1]) {
        seen.first[i]!.push(got[i]![0]);
        seen.second[i]!.push(got[i]![1]);
      }
      seen.firstDiff.push(got[1]![0] - got[0]![0]);
      seen.secondDiff.push(got[1]![1] - got[0]![1]);
    }
    const line = (name: string, values: number[][], diffs: number[]): string =>
      `${name} ${fixed(spread(values[0]!).median)} → ${fixed(spread(values[1]!).median)} ms, after − before median ${fixed(spread(diffs).median)} (min ${fixed(spread(diffs).min)}, max ${fixed(spread(diffs).max)})`;
    console.log(`${path.padEnd(28)} ${line('first run', seen.first, seen.firstDiff)}`);
    console.log(`${''.padEnd(28)} ${line('second run', seen.second, seen.secondDiff)}`);
  }
} finally {
  for (const s of sides) await s.stack.close();
}
