/**
 * What the Wasm entry (src/index.ts) does at load time and per request, in one place, so the bench
 * guest that times the handler inside an instance (bench/guest/handler-runs.ts) runs exactly the
 * service's setup and cannot drift from it.
 */
import { enforceExplicitBackends } from 'fastly:backend';
import { createHandler, type Handler } from '../core/handler.ts';
import { BUILD_VERSION } from '../core/version.ts';
import { fastlyDeps } from './fastly-deps.ts';
import { fetchBackend } from './fastly-backend-fetch.ts';
import { warmUp } from './warm-up.ts';

/** At load time, before the snapshot: backends by name only, then the build-time warm-up. */
export function prepareService(): void {
  enforceExplicitBackends();
  void warmUp(fetchBackend);
}

/** The page handler over the platform's ports, made per request (each request is a fresh sandbox). */
export function serviceHandler(): Handler {
  return createHandler(fastlyDeps(BUILD_VERSION));
}
