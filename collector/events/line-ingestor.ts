/**
 * Parses log lines into the aggregates and hands every accepted event on (to the event file, to
 * live dashboards). Shared by the live collector and the offline report so both count alike.
 */
import { Aggregates } from '../aggregates/aggregates.ts';
import { CLICKSTREAM_ENDPOINT, DECISION_ENDPOINT, parseLogLine, type EventEndpoint } from './parse-log-line.ts';

export interface AcceptedEvent {
  endpoint: EventEndpoint;
  /** The event's JSON text exactly as received. */
  json: string;
}

export interface LineIngestor {
  readonly aggregates: Aggregates;
  /** Returns true when the line was an accepted event. Never throws on input. */
  ingestLine(line: string, endpointHint?: EventEndpoint | null): boolean;
}

export function createLineIngestor(onAccepted: (event: AcceptedEvent) => void = () => undefined, sampleCapacity?: number): LineIngestor {
  const aggregates = new Aggregates(sampleCapacity);
  return {
    aggregates,
    ingestLine(line, endpointHint = null) {
      const parsed = parseLogLine(line, endpointHint);
      aggregates.addParsed(parsed);
      if (!parsed.ok) return false;
      onAccepted({ endpoint: parsed.kind === 'decision' ? DECISION_ENDPOINT : CLICKSTREAM_ENDPOINT, json: parsed.raw });
      return true;
    },
  };
}
