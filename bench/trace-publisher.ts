/**
 * The recommender during the P6 trace: like `npm start`, which runs `npm run recs` every
 * 5 minutes, it publishes new candidate lists on the trace's clock and purges the old ones at the
 * edge by surrogate key. Each run learns from a clickstream of its own (a new synthetic seed), so
 * the lists really change and the edge must fetch every segment's document again.
 */
import { SEGMENTS } from '../origin/data/segment-content.ts';
import { computeCandidates, DEFAULT_HALF_LIFE_MS } from '../origin/recs/compute-candidates.ts';
import { MAX_PUBLISHED_PER_SEGMENT } from '../origin/recs/recs-limits.ts';
import { syntheticClickstream } from '../origin/recs/synthetic-clickstream.ts';
import type { TraceEdge } from './trace-edge.ts';

/** How often `npm start` runs the recommender job. */
export const PUBLISH_EVERY_MS = 5 * 60_000;

const TRACE_START = Date.parse('2026-11-30T00:00:00Z');
const WEEK_MS = 7 * 24 * 3600 * 1000;

export interface TracePublisher {
  /** Publishes when the trace's clock has passed the next run; returns how many runs so far. */
  at(nowMs: number): Promise<number>;
}

export function tracePublisher(edge: Pick<TraceEdge, 'publish'>): TracePublisher {
  let runs = 0;
  return {
    async at(nowMs) {
      while ((runs + 1) * PUBLISH_EVERY_MS <= nowMs) {
        runs++;
        const now = TRACE_START + runs * PUBLISH_EVERY_MS;
        const clicks = syntheticClickstream({ visitors: 2000, seed: 11 + runs, end: now, spanMs: WEEK_MS });
        await edge.publish(computeCandidates(clicks, { segments: SEGMENTS, now, halfLifeMs: DEFAULT_HALF_LIFE_MS, perSegment: MAX_PUBLISHED_PER_SEGMENT }));
      }
      return runs;
    },
  };
}
