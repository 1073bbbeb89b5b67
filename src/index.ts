/// <reference types="@fastly/js-compute" />
/**
 * The Wasm entry for Fastly Compute: wires the Fastly ports into the shared core handler.
 * Everything else lives in src/core (pure) and src/fastly (the adapter).
 */
import { enforceExplicitBackends } from 'fastly:backend';
import { createHandler } from './core/handler.ts';
import { fastlyDeps } from './fastly/fastly-deps.ts';
import { BUILD_VERSION } from './core/version.ts';
import { warmUp } from './fastly/warm-up.ts';
import { fetchBackend } from './fastly/fastly-backend-fetch.ts';

// Only the named static backends of fastly.toml may be reached: no implicit dynamic backends.
enforceExplicitBackends();

// Runs while the module is snapshotted at build time (Wizer), not per request, through the
// service's own backend adapter: see warm-up.ts.
void warmUp(fetchBackend);

addEventListener('fetch', (event) => {
  const handle = createHandler(fastlyDeps(BUILD_VERSION));
  event.respondWith(
    handle(event.request, {
      clientAddress: event.client.address,
      requestId: event.client.requestId ?? crypto.randomUUID(),
      waitUntil: (work) => event.waitUntil(work),
    }),
  );
});
