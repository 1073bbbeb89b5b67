/**
 * Validates a `clickstream` line (schema v1, written by src/core/routes/beacon.ts) at the
 * collector's boundary into the edge's own `ClickstreamEvent` type; unknown fields are ignored.
 */
import type { ClickstreamEvent } from '../../src/core/beacon/clickstream-event.ts';
import { oneOf, path, pseudonymOrNull, record, SchemaError, timestamp, token, boundedString, variants } from './field-readers.ts';
import { CONSENT_STATES } from './decision-event-schema.ts';

export const BEACON_TYPES = ['impression', 'click'] as const;

export function parseClickstreamEvent(value: unknown): ClickstreamEvent {
  const raw = record(value, 'event');
  if (raw.v !== 1) throw new SchemaError('v must be 1');
  return {
    v: 1,
    ts: timestamp(raw.ts, 'ts'),
    requestId: boundedString(raw.requestId, 'requestId', 128),
    type: oneOf(raw.type, BEACON_TYPES, 'type'),
    slot: token(raw.slot, 'slot'),
    item: token(raw.item, 'item'),
    page: path(raw.page, 'page', 512),
    segment: token(raw.segment, 'segment'),
    variants: variants(raw.variants, 'variants'),
    consent: oneOf(raw.consent, CONSENT_STATES, 'consent'),
    visitor: pseudonymOrNull(raw.visitor, 'visitor'),
  };
}
