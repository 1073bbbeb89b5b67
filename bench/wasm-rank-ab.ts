/**
 * `npx tsx bench/wasm-rank-ab.ts BEFORE.wasm AFTER.wasm [ROUNDS]`: the in-guest ranking rows of
 * `npm run bench -- wasm` (wasm-rank-phases.ts) for two builds of the measuring guest, paired: each
 * round sends one request to each build (the order flips every round), each a fresh instance that
 * ranks the same document 11 times with `vCpuTime()` around the synchronous call. The first run is
 * what a page pays. Rows: the 200 candidates in the compact format (the "compact ranking" goal row)
 * and the 100 the demo publishes. `AB_JSON=1` adds the JSON document of 200. Build each side with
 * `npx js-compute-runtime bench/guest/measure-guest.ts OUT.wasm` at its commit.
 */
import { MAX_PUBLISHED_PER_SEGMENT } from '../origin/recs/recs-limits.ts';
import type { CandidateDocument } from '../src/core/recs/candidate-document.ts';
import { renderCompactDocument } from '../src/core/recs/compact-writer.ts';
import { readAbArgs } from './ab-args.ts';
import { spread, type Spread } from './bench-stats.ts';
import { startGuest, type GuestStack } from './wasm-guest-host.ts';
import { candidateDocument } from './wasm-rank-phases.ts';

const { before, after, count: rounds } = readAbArgs('wasm-rank-ab.ts', 'ROUNDS', 20);

function compactOf(json: Uint8Array): Uint8Array<ArrayBuffer> {
  const { before: head, after: tail, items } = JSON.parse(new TextDecoder().decode(json)) as CandidateDocument;
  return renderCompactDocument(head, tail, items) as Uint8Array<ArrayBuffer>;
}

const ROWS: Array<{ name: string; path: string; body: Uint8Array<ArrayBuffer> }> = [
  { name: 'compact ranking, 200 candidates', path: '/rank-compact', body: compactOf(candidateDocument()) },
  { name: `compact ranking, the ${MAX_PUBLISHED_PER_SEGMENT} the demo publishes`, path: '/rank-compact', body: compactOf(candidateDocument(MAX_PUBLISHED_PER_SEGMENT)) },
  ...(process.env.AB_JSON === '1' ? [{ name: 'JSON ranking, 200 candidates', path: '/rank', body: candidateDocument() }] : []),
];

/** The first run's µs of one fresh instance. */
async function firstRun(stack: GuestStack, path: string, body: Uint8Array<ArrayBuffer>): Promise<number> {
  const response = await fetch(stack.url(`${path}?runs=11`), { method: 'POST', body, headers: { 'x-fragment-bytes': '0' } });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${text}`);
  await stack.host.settled();
  return (JSON.parse(text) as { results: Array<{ us: number }> }).results[0]!.us;
}

const text = (s: Spread): string => `${s.min.toFixed(1)} / ${s.median.toFixed(1)} / ${s.max.toFixed(1)}`;
const stacks: GuestStack[] = [];
try {
  for (const name of [before, after]) stacks.push(await startGuest(name, true));
  for (const row of ROWS) {
    const runs: number[][] = [[], []];
    // One untimed round: V8 compiles each module's functions on first use.
    for (const stack of stacks) await firstRun(stack, row.path, row.body);
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? [0, 1] : [1, 0];
      for (const side of order) runs[side]!.push(await firstRun(stacks[side]!, row.path, row.body));
    }
    const differences = runs[1]!.map((us, i) => us - runs[0]![i]!);
    console.log(`${row.name}, first run µs (min / median / max), ${rounds} rounds\n  before ${text(spread(runs[0]!))}\n  after  ${text(spread(runs[1]!))}\n  after − before, paired: ${text(spread(differences))}`);
  }
} finally {
  for (const stack of stacks) await stack.close();
}
