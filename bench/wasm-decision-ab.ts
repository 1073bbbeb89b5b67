/**
 * `npx tsx bench/wasm-decision-ab.ts BEFORE.wasm AFTER.wasm [ROUNDS]`: the in-guest full decision
 * (the "full decision" row of `npm run bench -- wasm`) of two builds of the measuring guest, paired.
 * At a load of ~10 the row's median moves by ±50% between runs; here both builds run on their own
 * Wasm host and each round sends one request to each (the order flips every round), so both see the
 * same machine. Each request is a fresh instance that times the decision 11 times with `vCpuTime()`:
 * the first run is what a request pays, the rest are warm. The last line is the median of the
 * rounds' differences (after − before), which the machine's load moves least. Build each side with
 * `npx js-compute-runtime bench/guest/measure-guest.ts OUT.wasm` at its commit.
 */
import { spread, type Spread } from './bench-stats.ts';
import { startGuest, type GuestStack } from './wasm-guest-host.ts';
import { guestDecisionCookie } from './wasm-decision-cookie.ts';
import { readAbArgs } from './ab-args.ts';

const PATH = '/decision/product/running/sku-1001?utm_source=x&runs=11';

const { before, after, count: rounds } = readAbArgs('wasm-decision-ab.ts', 'ROUNDS', 24);

interface Side {
  name: string;
  stack: GuestStack;
  first: number[];
  warm: number[];
}

async function decisionRuns(side: Side, headers: Record<string, string>): Promise<number[]> {
  const response = await fetch(side.stack.url(PATH), { method: 'POST', body: new Uint8Array(0), headers: { ...headers, 'x-fragment-bytes': '0' } });
  const text = await response.text();
  if (!response.ok) throw new Error(`${side.name}: ${response.status} ${text}`);
  await side.stack.host.settled();
  return (JSON.parse(text) as { cpuMs: number[] }).cpuMs;
}

const text = (s: Spread): string => `${s.min.toFixed(3)} / ${s.median.toFixed(3)} / ${s.max.toFixed(3)}`;

const sides: Side[] = [];
try {
  for (const name of [before, after]) sides.push({ name, stack: await startGuest(name, true), first: [], warm: [] });
  const headers = await guestDecisionCookie(sides[0]!.stack.manifestPath);
  // One untimed round: V8 compiles each module's functions on first use.
  for (const side of sides) await decisionRuns(side, headers);
  for (let round = 0; round < rounds; round++) {
    for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
      const cpuMs = await decisionRuns(side, headers);
      side.first.push(cpuMs[0]!);
      side.warm.push(...cpuMs.slice(1));
    }
  }
  console.log(`full decision in the guest, ms (min / median / max), ${rounds} paired rounds`);
  for (const side of sides) console.log(`${side.name}\n  first run ${text(spread(side.first))}   warm ${text(spread(side.warm))}`);
  // Each round's two first runs saw the same moment of the machine: their difference moves far less than either.
  const differences = sides[1]!.first.map((after, i) => after - sides[0]!.first[i]!);
  console.log(`first run, after − before, paired by round: ${text(spread(differences))}`);
} finally {
  for (const side of sides) await side.stack.close();
}
