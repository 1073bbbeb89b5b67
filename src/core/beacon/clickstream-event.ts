/**
 * The clickstream event (log endpoint `clickstream`, schema v1): one JSON line per accepted beacon.
 * Like the decision event it is an allowlist by construction: the beacon's validated tokens and
 * path, plus what the edge itself worked out (segment, variants, consent, pseudonym), never
 * anything the body claimed about the visitor.
 */
import type { ConsentState } from '../context/consent.ts';
import type { BeaconType } from './beacon-body.ts';
import type { ProfileWriteReport } from '../feedback/profile-writer.ts';

export interface ClickstreamEvent {
  v: 1;
  ts: string;
  requestId: string;
  type: BeaconType;
  slot: string;
  item: string;
  /** Path only: the query and fragment are dropped at the boundary. */
  page: string;
  segment: string;
  variants: Record<string, string>;
  consent: ConsentState;
  /** base64url(HMAC-SHA256(log_hash_key, vid)) cut to 22 characters; null without consent. */
  visitor: string | null;
  /** The profile write this beacon caused (`ok`, `timeout`, `error`, with its ms); null when none. */
  profileWrite?: ProfileWriteReport | null;
}

/** Every field is bounded (tokens ≤ 64, page ≤ 512, closed sets), so a line stays well under 4 KiB. */
export function serializeClickstreamEvent(event: ClickstreamEvent): string {
  return JSON.stringify({
    v: event.v,
    ts: event.ts,
    requestId: event.requestId,
    type: event.type,
    slot: event.slot,
    item: event.item,
    page: event.page,
    segment: event.segment,
    variants: event.variants,
    consent: event.consent,
    visitor: event.visitor,
    profileWrite: event.profileWrite ?? null,
  });
}
