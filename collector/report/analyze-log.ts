/**
 * The offline analysis: every line of a saved log (stdout format or bare JSON, detected per line)
 * through the same ingestor as the live collector, so the report shows the same aggregates.
 */
import { createReadStream } from 'node:fs';
import type { AggregateSnapshot } from '../aggregates/aggregate-snapshot.ts';
import { createLineIngestor } from '../events/line-ingestor.ts';
import { readStreamLines } from '../sources/read-stream-lines.ts';

export async function analyzeLog(path: string): Promise<AggregateSnapshot> {
  // Offline there is no memory pressure worth a window: keep every latency sample.
  const ingestor = createLineIngestor(undefined, Number.MAX_SAFE_INTEGER);
  await readStreamLines(createReadStream(path), (line) => ingestor.ingestLine(line), () => ingestor.aggregates.reject('line too long'));
  return ingestor.aggregates.snapshot();
}
