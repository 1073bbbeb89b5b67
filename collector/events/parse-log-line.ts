/**
 * One log line in, one typed event or a rejection reason out. Two shapes are read, auto-detected
 * per line: Viceroy's / the Node host's stdout `<endpoint> :: <json>`, and the bare JSON line a
 * Fastly HTTPS endpoint posts (message type "blank"), whose kind is told by the request path or,
 * failing that, by its fields. Never throws: hostile input is a reason, not a crash.
 */
import { parseDecisionEvent, type DecisionRecord } from './decision-event-schema.ts';
import { parseClickstreamEvent, type ClickstreamRecord } from './clickstream-event-schema.ts';
import { SchemaError } from './field-readers.ts';

export const DECISION_ENDPOINT = 'personalization_events';
export const CLICKSTREAM_ENDPOINT = 'clickstream';
export type EventEndpoint = typeof DECISION_ENDPOINT | typeof CLICKSTREAM_ENDPOINT;

/** Events are capped at 4 KiB by the edge; anything far longer is not one of ours. */
export const MAX_LINE_CHARS = 16 * 1024;

export type ParsedLine =
  | { ok: true; kind: 'decision'; event: DecisionRecord; raw: string }
  | { ok: true; kind: 'clickstream'; event: ClickstreamRecord; raw: string }
  | { ok: false; reason: string }
  /** Blank lines and other endpoints' lines (console output) are not events and not errors. */
  | { ok: false; reason: null };

const SEPARATOR = ' :: ';

export function parseLogLine(input: string, endpointHint: EventEndpoint | null = null): ParsedLine {
  const line = input.endsWith('\r') ? input.slice(0, -1) : input;
  if (line.trim().length === 0) return { ok: false, reason: null };
  if (line.length > MAX_LINE_CHARS) return { ok: false, reason: 'line too long' };
  let endpoint: string | null = endpointHint;
  let message = line;
  if (!line.startsWith('{')) {
    const at = line.indexOf(SEPARATOR);
    if (at <= 0) return { ok: false, reason: 'not an event line' };
    endpoint = line.slice(0, at);
    message = line.slice(at + SEPARATOR.length);
    if (endpoint !== DECISION_ENDPOINT && endpoint !== CLICKSTREAM_ENDPOINT) return { ok: false, reason: null };
  }
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return { ok: false, reason: 'invalid JSON' };
  }
  const kind = endpoint === DECISION_ENDPOINT ? 'decision' : endpoint === CLICKSTREAM_ENDPOINT ? 'clickstream' : guessKind(value);
  if (kind === null) return { ok: false, reason: 'unknown event kind' };
  try {
    return kind === 'decision'
      ? { ok: true, kind, event: parseDecisionEvent(value), raw: message }
      : { ok: true, kind, event: parseClickstreamEvent(value), raw: message };
  } catch (error) {
    if (error instanceof SchemaError) return { ok: false, reason: `${kind}: ${error.message}` };
    throw error;
  }
}

function guessKind(value: unknown): 'decision' | 'clickstream' | null {
  if (typeof value !== 'object' || value === null) return null;
  if ('pageCache' in value && 'profile' in value) return 'decision';
  if ('type' in value && 'slot' in value) return 'clickstream';
  return null;
}
