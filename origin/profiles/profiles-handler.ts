/**
 * The `profiles` backend, a reference profile service in front of a ProfileStore:
 * `GET /profiles/{id}` (200 JSON, 404 unknown), `POST /profiles/{id}/events` (the write path: a
 * JSON array of events → 202, idempotent by eventId) and `DELETE /profiles/{id}` (erasure → 204).
 * Bad input is a 400 with a JSON error; a store that cannot answer is a 503. Never cacheable.
 */
import { jsonResponse, methodNotAllowed, respond } from '../http/origin-response.ts';
import type { OriginRequest, OriginResponse, RouteHandler } from '../http/origin-response.ts';
import { MAX_BATCH_BYTES, parseEventBatch } from './event-batch.ts';
import type { ProfileStore, StoreFailure } from './profile-store.ts';
import { VISITOR_ID } from './service-profile.ts';

const PRIVATE = { 'cache-control': 'private, no-store' };
const PREFIX = '/profiles/';
const EVENTS_SUFFIX = '/events';

type Route = { kind: 'profile'; id: string } | { kind: 'events'; id: string } | { kind: 'bad-id' } | { kind: 'none' };

function route(pathname: string): Route {
  if (!pathname.startsWith(PREFIX)) return { kind: 'none' };
  const rest = pathname.slice(PREFIX.length);
  const events = rest.endsWith(EVENTS_SUFFIX);
  const id = events ? rest.slice(0, -EVENTS_SUFFIX.length) : rest;
  if (!VISITOR_ID.test(id)) return { kind: 'bad-id' };
  return events ? { kind: 'events', id } : { kind: 'profile', id };
}

export function profilesHandler(store: ProfileStore): RouteHandler {
  return async (request) => {
    const target = route(request.pathname);
    switch (target.kind) {
      case 'none': return jsonResponse(404, { error: 'not found' }, PRIVATE);
      case 'bad-id': return jsonResponse(400, { error: 'invalid visitor id' }, PRIVATE);
      case 'events': return request.method === 'POST' ? postEvents(store, target.id, request) : methodNotAllowed('POST', PRIVATE);
      case 'profile': return profileRoute(store, target.id, request.method);
    }
  };
}

async function profileRoute(store: ProfileStore, id: string, method: string): Promise<OriginResponse> {
  if (method === 'GET') {
    const found = await store.get(id);
    if (!found.ok) return storeDown(found);
    return found.profile === null ? jsonResponse(404, { error: 'unknown visitor' }, PRIVATE) : jsonResponse(200, found.profile, PRIVATE);
  }
  if (method === 'DELETE') {
    const erased = await store.erase(id);
    return erased.ok ? respond(204, 'application/json', '', PRIVATE) : storeDown(erased);
  }
  return methodNotAllowed('GET, DELETE', PRIVATE);
}

async function postEvents(store: ProfileStore, id: string, request: OriginRequest): Promise<OriginResponse> {
  const body = request.body ?? Buffer.alloc(0);
  if (body.length > MAX_BATCH_BYTES) return jsonResponse(400, { error: `batch over ${MAX_BATCH_BYTES} bytes` }, PRIVATE);
  const batch = parseEventBatch(body.toString('utf8'));
  if (!batch.ok) return jsonResponse(400, { error: batch.error }, PRIVATE);
  const written = await store.apply(id, batch.events);
  if (!written.ok) return storeDown(written);
  return jsonResponse(202, { applied: written.applied, duplicates: written.duplicates }, PRIVATE);
}

/** The detail stays in the service's own log; the client learns only that it may retry. */
function storeDown(failure: StoreFailure): OriginResponse {
  console.error(`profiles: store unavailable: ${failure.detail}`);
  return jsonResponse(503, { error: 'profile store unavailable' }, { ...PRIVATE, 'retry-after': '1' });
}
