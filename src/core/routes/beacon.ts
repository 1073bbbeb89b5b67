/** `POST /__beacon` (DESIGN §5.9). Not implemented yet: answers 501 until the beacon lands. */
import { jsonResponse } from '../http/json-response.ts';

export function handleBeacon(): Promise<Response> {
  return Promise.resolve(jsonResponse(501, { error: 'beacon not implemented' }));
}
