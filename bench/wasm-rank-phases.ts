/**
 * The ranking rows of `npm run bench -- wasm`: a ranked include's whole job on 200 candidates in
 * the measuring guest, in both formats the edge accepts. The compact document is what the product
 * ships with its own publisher (the fragments origin answers the edge's `Accept` with it), so the
 * ≤ 0.5 ms goal is on that row; the JSON document (decode, JSON.parse, shape check, choosing,
 * rendering and encoding, also split into those stages with the vCPU clock read between them) is
 * what any other publisher's candidates cost. The candidates are what the demo's origin publishes.
 */
import { PRODUCTS } from '../origin/data/catalog.ts';
import { renderCandidateDocument } from '../origin/recs/candidate-document.ts';
import { MAX_PUBLISHED_PER_SEGMENT } from '../origin/recs/recs-limits.ts';
import { MAX_CANDIDATES } from '../src/core/recs/candidate-document.ts';
import type { CandidateDocument } from '../src/core/recs/candidate-document.ts';
import { renderCompactDocument } from '../src/core/recs/compact-writer.ts';
import { spread } from './bench-stats.ts';
import type { GuestStack } from './wasm-guest-host.ts';
import { pair, type PhaseFigure } from './wasm-phases.ts';

const RUNS = 11;
const STAGES = { decode: 'TextDecoder', parse: 'JSON.parse + wrapper check', scan: 'one pass: item check + keep best per category', choose: 'order + choose', render: 'render + encode' } as const;
type Stage = keyof typeof STAGES;
const COMPACT_STAGES = { head: 'framing + head TextDecoder', shape: 'head shape RegExp (every entry)', parse: 'head JSON.parse', read: 'the reader alone (the three above + range checks)', rank: 'the whole job again (reader + rank + copy)' } as const;
type CompactStage = keyof typeof COMPACT_STAGES;

/**
 * A candidate document at the cap, rendered by the fragments origin's own publisher: the demo's
 * 200 most popular products (across its categories), scored by popularity, with the item markup
 * the demo publishes, so the figure follows any change to what the origin sends.
 */
export function candidateDocument(items = MAX_CANDIDATES): Uint8Array<ArrayBuffer> {
  const list = [...PRODUCTS].sort((a, b) => b.popularity - a.popularity || a.sku.localeCompare(b.sku)).slice(0, items).map((product) => ({ id: product.sku, score: product.popularity }));
  return new TextEncoder().encode(renderCandidateDocument('runner', 1, list));
}

/** The same candidates in the compact format, as the fragments origin serves it to the edge. */
function compactDocument(json: Uint8Array): Uint8Array<ArrayBuffer> {
  const { before, after, items } = JSON.parse(new TextDecoder().decode(json)) as CandidateDocument;
  return renderCompactDocument(before, after, items) as Uint8Array<ArrayBuffer>;
}

type Runs = { first: number[]; warm: number[] };

/**
 * Per figure the guest reports (µs), the first run's ms and the median of the later runs, one
 * sample per fresh instance.
 */
async function guestFigures<K extends string>(stack: GuestStack, path: string, keys: readonly K[], body: Uint8Array<ArrayBuffer>, rounds: number): Promise<Record<K, Runs>> {
  const runs = Object.fromEntries(keys.map((key) => [key, { first: [], warm: [] }])) as unknown as Record<K, Runs>;
  for (let round = 0; round < rounds; round++) {
    const response = await fetch(stack.url(`${path}?runs=${RUNS}`), { method: 'POST', body, headers: { 'x-fragment-bytes': '0' } });
    const text = await response.text();
    if (!response.ok) throw new Error(`${path}: ${response.status} ${text}`);
    await stack.host.settled();
    const { results } = JSON.parse(text) as { results: Array<Record<K, number>> };
    for (const key of keys) {
      runs[key].first.push(results[0]![key] / 1000);
      runs[key].warm.push(spread(results.slice(1).map((run) => run[key] / 1000)).median);
    }
  }
  return runs;
}

function kbOf(bytes: Uint8Array): string {
  return (bytes.length / 1000).toFixed(1);
}

const SYNC = 'in-guest vCPU around the synchronous call, first run of a fresh instance';

export async function rankingFigures(stack: GuestStack, rounds: number, wanted: (figure: string) => boolean): Promise<PhaseFigure[]> {
  if (!wanted('ranking')) return [];
  const body = candidateDocument();
  const compact = compactDocument(body);
  const { us: shipped } = await guestFigures(stack, '/rank-compact', ['us'], compact, rounds);
  const compactStages = await guestFigures(stack, '/rank-compact-stages', Object.keys(COMPACT_STAGES) as CompactStage[], compact, rounds);
  const { us: whole } = await guestFigures(stack, '/rank', ['us'], body, rounds);
  const stages = await guestFigures(stack, '/rank-stages', Object.keys(STAGES) as Stage[], body, rounds);
  // What a demo page pays: the origin publishes MAX_PUBLISHED_PER_SEGMENT (100) per segment.
  const demoJson = candidateDocument(MAX_PUBLISHED_PER_SEGMENT);
  const demo = compactDocument(demoJson);
  const { us: published } = await guestFigures(stack, '/rank-compact', ['us'], demo, rounds);
  const { us: publishedJson } = await guestFigures(stack, '/rank', ['us'], demoJson, rounds);
  const method = 'in-guest vCPU between stages, first run of a fresh instance';
  return [
    { figure: `ranking 200 candidates, compact format from our origin (${kbOf(compact)} KB; frame, parse head, rank, copy bytes)`, ...pair(shipped), unit: 'ms', goal: { atMost: 0.5 }, method: SYNC },
    ...(Object.entries(COMPACT_STAGES) as Array<[CompactStage, string]>).map(([stage, name]) => ({ figure: `  compact stage: ${name}`, ...pair(compactStages[stage]), unit: 'ms', goal: null, method })),
    { figure: `ranking 200 candidates, JSON document as any other publisher sends (${kbOf(body)} KB; decode, parse, check, rank, render)`, ...pair(whole), unit: 'ms', goal: null, method: SYNC },
    ...(Object.entries(STAGES) as Array<[Stage, string]>).map(([stage, name]) => ({ figure: `  JSON ranking stage: ${name}`, ...pair(stages[stage]), unit: 'ms', goal: null, method })),
    { figure: `ranking the ${MAX_PUBLISHED_PER_SEGMENT} candidates the demo publishes, compact (${kbOf(demo)} KB)`, ...pair(published), unit: 'ms', goal: null, method: SYNC },
    { figure: `ranking the ${MAX_PUBLISHED_PER_SEGMENT} candidates the demo publishes, JSON (${kbOf(demoJson)} KB)`, ...pair(publishedJson), unit: 'ms', goal: null, method: SYNC },
  ];
}
