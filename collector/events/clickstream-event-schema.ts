/**
 * Validates a `clickstream` line (schema v1 or v2, written by src/core/routes/beacon.ts) at the
 * collector's boundary; unknown fields are ignored. v2 adds the conversion types, an optional
 * `value`, and `attribution`: `token` when segment and variants came from the page's signed
 * decision token, `none` (no variants) otherwise. A v1 line reads as attribution `null`: its
 * variants were recomputed by the beacon and are not trusted for experiment results.
 */
import type { ClickstreamEvent } from '../../src/core/beacon/clickstream-event.ts';
import { amount, boundedString, flag, oneOf, path, pseudonymOrNull, record, SchemaError, timestamp, token, tokenList, variants } from './field-readers.ts';
import { ATTRIBUTIONS, BEACON_TYPES, CONSENT_STATES, type Attribution, type BeaconType } from '../../src/core/log/vocabulary.ts';

export { ATTRIBUTIONS, BEACON_TYPES };
export type BeaconEventType = BeaconType;

export interface ClickstreamRecord extends Omit<ClickstreamEvent, 'v' | 'type' | 'segment'> {
  v: 1 | 2;
  type: BeaconEventType;
  /** null when a v2 beacon had no valid token and the edge logged no segment. */
  segment: string | null;
  attribution: Attribution | null;
  /** The page's exposed experiments when the token carries them; null when not logged. */
  exposed: string[] | null;
  preview: boolean;
  value: number | null;
}

/**
 * The fields every schema version carries: what version-blind counters (the dashboard) read, plus
 * `preview` (a v1 line is never one), so a QA preview's clicks and test orders stay out of the
 * arms, the order count and the revenue.
 */
export type ClickstreamFields = Pick<ClickstreamRecord, 'ts' | 'type' | 'slot' | 'item' | 'page' | 'variants' | 'consent' | 'visitor'> & { preview?: boolean };

export function parseClickstreamEvent(value: unknown): ClickstreamRecord {
  const raw = record(value, 'event');
  if (raw.v !== 1 && raw.v !== 2) throw new SchemaError('v must be 1 or 2');
  const v2 = raw.v === 2;
  const type = oneOf(raw.type, v2 ? BEACON_TYPES : BEACON_TYPES.slice(0, 2), 'type');
  const attribution = v2 ? oneOf(raw.attribution, ATTRIBUTIONS, 'attribution') : null;
  return {
    v: raw.v,
    ts: timestamp(raw.ts, 'ts'),
    requestId: boundedString(raw.requestId, 'requestId', 128),
    type,
    slot: token(raw.slot, 'slot'),
    item: token(raw.item, 'item'),
    page: path(raw.page, 'page', 512),
    segment: v2 && (raw.segment === undefined || raw.segment === null) ? null : token(raw.segment, 'segment'),
    // An unattributed beacon carries no variants whatever the line claims.
    variants: attribution === 'none' || (v2 && raw.variants === undefined) ? {} : variants(raw.variants, 'variants'),
    consent: oneOf(raw.consent, CONSENT_STATES, 'consent'),
    visitor: pseudonymOrNull(raw.visitor, 'visitor'),
    attribution,
    exposed: v2 && raw.exposed !== undefined && raw.exposed !== null ? tokenList(raw.exposed, 'exposed') : null,
    preview: v2 ? flag(raw.preview, 'preview') : false,
    value: v2 && raw.value !== undefined && raw.value !== null ? amount(raw.value, 'value') : null,
  };
}
