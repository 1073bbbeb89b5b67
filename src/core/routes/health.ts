/** `GET /__health`: liveness plus the build version and runtime (docs/contracts.md#responses). */
import type { Deps } from '../ports.ts';
import { jsonResponse } from '../http/json-response.ts';

export function handleHealth(_request: Request, deps: Deps): Promise<Response> {
  return Promise.resolve(jsonResponse(200, { status: 'ok', version: deps.version, runtime: deps.runtime, pop: deps.pop }));
}
