/**
 * The `profiles` backend (docs/contracts.md#profile-store): `GET /profiles/{id}` answers the seeded dataset's profile as
 * JSON, 404 for an unknown visitor, and never lets anything cache it.
 */
import { profileFor } from '../data/profile-for.ts';
import { jsonResponse, methodNotAllowed } from '../http/origin-response.ts';
import type { OriginRequest, OriginResponse } from '../http/origin-response.ts';

const PRIVATE = { 'cache-control': 'private, no-store' };
const PREFIX = '/profiles/';
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function profilesHandler(request: OriginRequest): OriginResponse {
  if (!request.pathname.startsWith(PREFIX)) return jsonResponse(404, { error: 'not found' }, PRIVATE);
  if (request.method !== 'GET') return methodNotAllowed('GET', PRIVATE);
  const id = request.pathname.slice(PREFIX.length);
  if (!ID_PATTERN.test(id)) return jsonResponse(400, { error: 'invalid visitor id' }, PRIVATE);
  const profile = profileFor(id);
  if (!profile) return jsonResponse(404, { error: 'unknown visitor' }, PRIVATE);
  return jsonResponse(200, profile, PRIVATE);
}
