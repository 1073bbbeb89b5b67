/**
 * Parses log lines into the aggregates and hands every accepted event on (to the event file, to
 * live dashboards). Shared by the live collector and the offline report so both count alike.
 */
import { Aggregates } from '../aggregates/aggregates.ts';
import { VisitorLedger } from '../experiments/visitor-ledger.ts';
import type { ExperimentSpec } from '../experiments/experiment-specs.ts';
import { CLICKSTREAM_ENDPOINT, DECISION_ENDPOINT, parseLogLine, type EventEndpoint } from './parse-log-line.ts';

export interface AcceptedEvent {
  endpoint: EventEndpoint;
  /** The event's JSON text exactly as received. */
  json: string;
}

export interface LineIngestor {
  readonly aggregates: Aggregates;
  /** Per-visitor experiment counts, for the configured experiments only. */
  readonly experiments: VisitorLedger;
  /** Returns true when the line was an accepted event. Never throws on input. */
  ingestLine(line: string, endpointHint?: EventEndpoint | null): boolean;
}

export function createLineIngestor(
  onAccepted: (event: AcceptedEvent) => void = () => undefined,
  sampleCapacity?: number,
  experiments: readonly ExperimentSpec[] = [],
): LineIngestor {
  const aggregates = new Aggregates(sampleCapacity);
  const ledger = new VisitorLedger(experiments);
  return {
    aggregates,
    experiments: ledger,
    ingestLine(line, endpointHint = null) {
      const parsed = parseLogLine(line, endpointHint);
      aggregates.addParsed(parsed);
      if (!parsed.ok) return false;
      if (parsed.kind === 'decision') ledger.addDecision(parsed.event);
      else ledger.addClickstream(parsed.event);
      onAccepted({ endpoint: parsed.kind === 'decision' ? DECISION_ENDPOINT : CLICKSTREAM_ENDPOINT, json: parsed.raw });
      return true;
    },
  };
}
