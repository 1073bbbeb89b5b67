/**
 * The clickstream event (log endpoint `clickstream`, schema v1): one JSON line per accepted beacon.
 * Like the decision event it is an allowlist by construction: the beacon's validated tokens and
 * path, plus what the edge itself worked out (segment, variants, consent, pseudonym), never
 * anything the body claimed about the visitor.
 */
import type { Attribution, ConsentState } from '../log/vocabulary.ts';
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

/**
 * Schema v2: segment and variants come from the page's decision token (`attribution: "token"`),
 * else there are none (`attribution: "none"`, segment null). `exposed` lists the page's exposed
 * experiments, `shaped` those whose variable shaped this beacon's slot; `value` is a conversion's
 * amount. Kept apart from v1 so readers of both can extend the base type freely.
 */
export interface ClickstreamEventV2 extends Omit<ClickstreamEvent, 'v' | 'segment'> {
  v: 2;
  segment: string | null;
  attribution: Attribution;
  exposed: string[];
  shaped: string[];
  preview?: true;
  value?: number;
}

export function serializeClickstreamEventV2(event: ClickstreamEventV2): string {
  return JSON.stringify(event);
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
