/**
 * Closes the loop from a beacon: a consented click (or cart, or purchase) of a known visitor
 * becomes a profile event, written from `waitUntil` after the 204 is on its way. The beacon's
 * clickstream event is emitted once the write has settled, carrying its outcome as `profileWrite`
 * (null when nothing was written), so failed writes are counted in the log rather than retried.
 */
import type { BeaconType } from '../log/vocabulary.ts';
import type { Identity } from '../visitor/identity.ts';
import { categoryFromPath } from '../visitor/page-category.ts';
import type { Deps, RequestContext } from '../ports.ts';
import { profileEvent, profileEventType, profileWriteTarget } from './profile-event.ts';
import { writeProfileEvents, type ProfileWriteReport } from './profile-writer.ts';

export interface BeaconFeedback {
  /** What of the parsed beacon the loop reads (the beacon route parses it: beacon/beacon-body.ts). */
  beacon: { type: BeaconType; item: string; page: string };
  identity: Identity;
  /** The visitor's pseudonym (keys their cached profile); null without one. */
  pseudonym: string | null;
}

/** Calls `emit` exactly once: at once when nothing is written, else after the write settles. */
export function forwardBeacon(input: BeaconFeedback, deps: Deps, context: RequestContext, emit: (profileWrite: ProfileWriteReport | null) => void): void {
  const type = profileEventType(input.beacon.type);
  const visitorId = type === null ? null : profileWriteTarget(input.identity);
  if (type === null || visitorId === null) return emit(null);
  const event = profileEvent({ prefix: 'b', requestId: context.requestId, type, item: input.beacon.item, category: itemCategory(input.beacon), ts: new Date() });
  const write = writeProfileEvents({ visitorId, cacheId: input.pseudonym, events: [event], dropCached: true }, deps);
  context.waitUntil(write.then(emit));
}

/** On the item's own product page the path names its category; elsewhere the store looks it up. */
function itemCategory(beacon: BeaconFeedback['beacon']): string | null {
  const parts = beacon.page.split('/');
  return parts[1] === 'product' && parts[3] === beacon.item ? categoryFromPath(beacon.page) : null;
}
