/**
 * `npx tsx bench/wasm-decision-ab.ts BEFORE.wasm AFTER.wasm [ROUNDS]`: the in-guest full decision
 * (the "full decision" row of `npm run bench -- wasm`) of two builds of the measuring guest, paired.
 * At a load of ~10 the row's median moves by ±50% between runs; here both builds run on their own
 * Wasm host and each round sends one request to each (the order flips every round), so both see the
 * same machine. Each request is a fresh instance that times the decision 11 times with `vCpuTime()`:
 * the first run is what a request pays, the rest are warm. The last line is the median of the
 * rounds' differences (after − before), which the machine's load moves least. Build each side with
 * `npx js-compute-runtime bench/guest/measure-guest.ts OUT.wasm` at its commit.
 *
 * The figure is the guest thread's CPU, so it includes this Wasm host's own JavaScript for the
 * hostcalls the decision makes (header reads, geolocation, device detection), native code on
 * Compute. `AB_HOST_TIME=1` also times each hostcall on the host and prints the decision's "guest
 * side only" figures (the run minus the host's part of it, hostcall-timeline.ts `withHostTime`);
 * the timing adds its own cost to the whole figures in that mode, so compare those without it.
 */
import { spread, type Spread } from './bench-stats.ts';
import { startGuest, type GuestStack } from './wasm-guest-host.ts';
import { guestDecisionCookie } from './wasm-decision-cookie.ts';
import { readAbArgs } from './ab-args.ts';

const PATH = '/decision/product/running/sku-1001?utm_source=x&runs=11';

const { before, after, count: rounds } = readAbArgs('wasm-decision-ab.ts', 'ROUNDS', 24);
const hostTime = process.env.AB_HOST_TIME === '1';

interface Side {
  name: string;
  stack: GuestStack;
  first: number[];
  warm: number[];
  /** With AB_HOST_TIME: the same runs less the host's part of them. */
  guestFirst: number[];
  guestWarm: number[];
}

async function decisionRuns(side: Side, headers: Record<string, string>): Promise<number[]> {
  const response = await fetch(side.stack.url(PATH), { method: 'POST', body: new Uint8Array(0), headers: { ...headers, 'x-fragment-bytes': '0' } });
  const text = await response.text();
  if (!response.ok) throw new Error(`${side.name}: ${response.status} ${text}`);
  await side.stack.host.settled();
  return (JSON.parse(text) as { cpuMs: number[] }).cpuMs;
}

/**
 * Each run less the host's CPU between its two `vCpuTime()` reads (the guest reads the clock only
 * there: two reads a run); empty when the host did not account its time.
 */
function guestOnly(side: Side, cpuMs: number[]): number[] {
  const reads = side.stack.host.hostAtVcpuReads.at(-1);
  if (!hostTime || reads?.length !== cpuMs.length * 2) return [];
  return cpuMs.map((ms, i) => ms - (reads[2 * i + 1]! - reads[2 * i]!));
}

const text = (s: Spread): string => `${s.min.toFixed(3)} / ${s.median.toFixed(3)} / ${s.max.toFixed(3)}`;

const sides: Side[] = [];
try {
  for (const name of [before, after]) sides.push({ name, stack: await startGuest(name, true, hostTime), first: [], warm: [], guestFirst: [], guestWarm: [] });
  const headers = await guestDecisionCookie(sides[0]!.stack.manifestPath);
  // One untimed round: V8 compiles each module's functions on first use.
  for (const side of sides) await decisionRuns(side, headers);
  for (let round = 0; round < rounds; round++) {
    for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
      const cpuMs = await decisionRuns(side, headers);
      side.first.push(cpuMs[0]!);
      side.warm.push(...cpuMs.slice(1));
      const guest = guestOnly(side, cpuMs);
      if (guest.length > 0) {
        side.guestFirst.push(guest[0]!);
        side.guestWarm.push(...guest.slice(1));
      }
    }
  }
  console.log(`full decision in the guest, ms (min / median / max), ${rounds} paired rounds`);
  for (const side of sides) {
    console.log(`${side.name}\n  first run ${text(spread(side.first))}   warm ${text(spread(side.warm))}`);
    if (side.guestFirst.length > 0) console.log(`  guest side only: first run ${text(spread(side.guestFirst))}   warm ${text(spread(side.guestWarm))}`);
  }
  // Each round's two first runs saw the same moment of the machine: their difference moves far less than either.
  const differences = sides[1]!.first.map((after, i) => after - sides[0]!.first[i]!);
  console.log(`first run, after − before, paired by round: ${text(spread(differences))}`);
  if (sides[1]!.guestFirst.length === rounds && sides[0]!.guestFirst.length === rounds) {
    const guestDifferences = sides[1]!.guestFirst.map((after, i) => after - sides[0]!.guestFirst[i]!);
    console.log(`guest side only, first run, after − before: ${text(spread(guestDifferences))}`);
  }
} finally {
  for (const side of sides) await side.stack.close();
}
