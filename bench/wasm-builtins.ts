/**
 * Prints which builtins are native and which self-hosted inside the guest: builds
 * bench/guest/builtins-probe.ts and runs it on the Wasm host (`vCpuTime()` in microseconds), three
 * fresh instances, and prints each row's µs per call (the median of the three).
 * `npx tsx bench/wasm-builtins.ts`
 */
import { buildGuest, startGuest } from './wasm-guest-host.ts';

const path = await buildGuest('builtins-probe');
const guest = await startGuest(path, true);
const runs: Record<string, number>[] = [];
for (let i = 0; i < 3; i++) runs.push((await (await fetch(guest.url('/'))).json()) as Record<string, number>);
await guest.close();
for (const name of Object.keys(runs[0]!)) {
  const values = runs.map((run) => run[name]!).sort((a, b) => a - b);
  console.log(`${name.padEnd(48)} ${values[1]!.toFixed(2).padStart(8)} µs`);
}
