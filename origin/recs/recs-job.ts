/**
 * The recommender job (`npm run recs`, and every few minutes under `npm start`): reads the
 * clickstream the collector stored, computes each segment's candidate list, publishes the lists to
 * the fragments origin (`PUT /__origin/recs`), then purges the old lists at the edge by their
 * surrogate key (edge-purge.ts: the local host's purge endpoint, or Fastly's purge API for a
 * deployed service). With too little stored clickstream it adds a synthetic one, so a
 * fresh checkout still gets distinct lists per segment.
 */
import { readFile } from 'node:fs/promises';
import { SEGMENTS } from '../data/segment-content.ts';
import { computeCandidates, DEFAULT_HALF_LIFE_MS } from './compute-candidates.ts';
import { interactionsFromText, type Interaction } from './interaction.ts';
import { CANDIDATES_SURROGATE_KEY, MAX_PUBLISHED_PER_SEGMENT } from './recs-limits.ts';
import { syntheticClickstream } from './synthetic-clickstream.ts';
import { describeTarget, purgeKeys, type PurgeTarget } from '../http/edge-purge.ts';

export interface RecsJobOptions {
  eventFile: string;
  /** Base URL of the fragments backend, trailing slash. */
  fragmentsUrl: string;
  /** Where the old lists are purged; null to skip. */
  edge: PurgeTarget | null;
  now: number;
}

export interface RecsJobResult {
  generation: number;
  stored: number;
  synthetic: number;
  /** Where the old lists were purged, or null when no edge confirmed it. */
  purgedAt: string | null;
}

/** Below this many stored interactions the lists are mostly noise: a synthetic clickstream is added. */
const MIN_INTERACTIONS = 500;
const WEEK_MS = 7 * 24 * 3600 * 1000;

async function storedInteractions(path: string): Promise<Interaction[]> {
  try {
    return interactionsFromText(await readFile(path, 'utf8'));
  } catch {
    return [];
  }
}

export async function runRecsJob(options: RecsJobOptions): Promise<RecsJobResult> {
  const stored = await storedInteractions(options.eventFile);
  const synthetic = stored.length >= MIN_INTERACTIONS ? [] : syntheticClickstream({ visitors: 2000, seed: 11, end: options.now, spanMs: WEEK_MS });
  const lists = computeCandidates([...stored, ...synthetic], { segments: SEGMENTS, now: options.now, halfLifeMs: DEFAULT_HALF_LIFE_MS, perSegment: MAX_PUBLISHED_PER_SEGMENT });
  const response = await fetch(new URL('__origin/recs', options.fragmentsUrl), {
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'x-recs-source': synthetic.length > 0 ? 'recs-job+synthetic' : 'recs-job' },
    body: JSON.stringify({ lists }),
    signal: AbortSignal.timeout(10_000),
  });
  const answer = (await response.json()) as { generation?: number; error?: string };
  if (!response.ok || typeof answer.generation !== 'number') throw new Error(`publishing failed: ${response.status} ${answer.error ?? ''}`.trim());
  const purged = options.edge !== null && (await purgeKeys(options.edge, [CANDIDATES_SURROGATE_KEY], false)).length === 0;
  return { generation: answer.generation, stored: stored.length, synthetic: synthetic.length, purgedAt: purged && options.edge !== null ? describeTarget(options.edge) : null };
}

export function describeRecsJob(result: RecsJobResult): string {
  const purge = result.purgedAt !== null ? `purged ${CANDIDATES_SURROGATE_KEY} at ${result.purgedAt}` : 'edge not purged';
  return `recs: published generation ${result.generation} from ${result.stored} stored + ${result.synthetic} synthetic interactions; ${purge}`;
}

/** Runs the job now and every `intervalMs`; failures print one line. Returns a stop function. */
export function scheduleRecsJob(options: Omit<RecsJobOptions, 'now'>, intervalMs: number, log: (line: string) => void): () => void {
  const once = (): void => {
    runRecsJob({ ...options, now: Date.now() }).then(
      (result) => log(describeRecsJob(result)),
      (error: unknown) => log(`recs: ${error instanceof Error ? error.message : String(error)}`),
    );
  };
  once();
  const timer = setInterval(once, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
