/// <reference types="@fastly/js-compute" />
/**
 * The Wasm entry for Fastly Compute: wires the Fastly ports into the shared core handler.
 * Everything else lives in src/core (pure) and src/fastly (the adapter).
 */
import { prepareService, serviceHandler } from './fastly/service-setup.ts';

// Only the named static backends of fastly.toml may be reached (no implicit dynamic backends), and
// the warm-up runs while the module is snapshotted at build time (Wizer), not per request.
prepareService();

addEventListener('fetch', (event) => {
  const handle = serviceHandler();
  event.respondWith(
    handle(event.request, {
      clientAddress: event.client.address,
      requestId: event.client.requestId ?? crypto.randomUUID(),
      waitUntil: (work) => event.waitUntil(work),
    }),
  );
});
