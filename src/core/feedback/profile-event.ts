/**
 * The events the edge sends to the profile store's write path (`POST /profiles/{id}/events`), and
 * who may have them: only a known visitor (a valid, not freshly minted `vid`) who grants the
 * `personalization` purpose, without GPC. Everyone else writes nothing anywhere.
 */
import { knownId, type Identity } from '../visitor/identity.ts';

export type ProfileEventType = 'view' | 'click' | 'add_to_cart' | 'purchase';

export interface ProfileEvent {
  eventId: string;
  type: ProfileEventType;
  item: string | null;
  category: string | null;
  ts: string;
}

const WRITE_TYPES: ReadonlySet<string> = new Set<ProfileEventType>(['view', 'click', 'add_to_cart', 'purchase']);
const VISITOR_ID = /^[A-Za-z0-9_-]{1,64}$/;
const EVENT_ID = /^[A-Za-z0-9_.:-]{1,62}$/;

/** The beacon and page types that teach the profile something; impressions do not. */
export function profileEventType(type: string): ProfileEventType | null {
  return WRITE_TYPES.has(type) ? (type as ProfileEventType) : null;
}

/** The visitor id whose profile may be written, or null: consent (GPC counts as refusal) and a known id. */
export function profileWriteTarget(identity: Identity): string | null {
  const id = knownId(identity);
  return id !== null && VISITOR_ID.test(id) ? id : null;
}

/**
 * One event per request, named after the request id so a replay of the same request is the same
 * event (the store counts it once). A request id that is not a plain token gets a random one.
 */
export function profileEvent(fields: { prefix: 'b' | 'v'; requestId: string; type: ProfileEventType; item: string | null; category: string | null; ts: Date }): ProfileEvent {
  const base = `${fields.prefix}-${fields.requestId}`;
  const eventId = EVENT_ID.test(base) ? base : `${fields.prefix}-${crypto.randomUUID()}`;
  return { eventId, type: fields.type, item: fields.item, category: fields.category, ts: fields.ts.toISOString() };
}
