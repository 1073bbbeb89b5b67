/**
 * The write path's request body, parsed at the boundary into a total type: a JSON array (at most
 * 32 KiB, at most MAX_BATCH_EVENTS) of `{eventId, type, item?, category?, ts}`. Anything else is a
 * 400 with the first problem found, and nothing of the batch is applied.
 */
import type { ProfileEvent, ProfileEventType } from '../../src/core/feedback/profile-event.ts';

export type { ProfileEvent, ProfileEventType };

export const EVENT_TYPES: readonly ProfileEventType[] = ['view', 'click', 'add_to_cart', 'purchase'];

export type BatchParse = { ok: true; events: ProfileEvent[] } | { ok: false; error: string };

export const MAX_BATCH_BYTES = 32 * 1024;
export const MAX_BATCH_EVENTS = 256;
const EVENT_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const ITEM = /^[A-Za-z0-9_-]{1,64}$/;
const CATEGORY = /^[a-z0-9-]{1,32}$/;
/** RFC 3339 date-time in UTC or with an offset; Date.parse then checks the values. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export function parseEventBatch(text: string): BatchParse {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: 'body is not valid JSON' };
  }
  if (!Array.isArray(raw)) return { ok: false, error: 'body must be a JSON array of events' };
  if (raw.length === 0) return { ok: false, error: 'batch is empty' };
  if (raw.length > MAX_BATCH_EVENTS) return { ok: false, error: `batch has more than ${MAX_BATCH_EVENTS} events` };
  const events: ProfileEvent[] = [];
  for (const [index, value] of raw.entries()) {
    const parsed = parseEvent(value);
    if (typeof parsed === 'string') return { ok: false, error: `event ${index}: ${parsed}` };
    events.push(parsed);
  }
  return { ok: true, events };
}

/** The event, or why it is refused. Unknown fields are ignored, so producers can add context. */
function parseEvent(value: unknown): ProfileEvent | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be an object';
  const { eventId, type, item, category, ts } = value as Record<string, unknown>;
  if (typeof eventId !== 'string' || !EVENT_ID.test(eventId)) return 'eventId must match [A-Za-z0-9_.:-]{1,64}';
  if (typeof type !== 'string' || !(EVENT_TYPES as readonly string[]).includes(type)) return `type must be one of ${EVENT_TYPES.join(', ')}`;
  if (item !== undefined && item !== null && (typeof item !== 'string' || !ITEM.test(item))) return 'item must match [A-Za-z0-9_-]{1,64}';
  if (category !== undefined && category !== null && (typeof category !== 'string' || !CATEGORY.test(category))) return 'category must match [a-z0-9-]{1,32}';
  if (typeof ts !== 'string' || !TIMESTAMP.test(ts) || Number.isNaN(Date.parse(ts))) return 'ts must be an RFC 3339 timestamp';
  const itemValue = typeof item === 'string' ? item : null;
  const categoryValue = typeof category === 'string' ? category : null;
  if (itemValue === null && categoryValue === null) return 'an event needs an item or a category';
  return { eventId, type: type as ProfileEventType, item: itemValue, category: categoryValue, ts };
}
