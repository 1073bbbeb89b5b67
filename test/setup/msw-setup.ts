/**
 * Starts the shared msw server for every test file. Unhandled requests to non-loopback hosts
 * are errors; loopback traffic (the real local origin and Node host in e2e tests) is let through.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { server } from './msw-server.ts';

beforeAll(() => {
  server.listen({
    onUnhandledRequest(request, print) {
      const host = new URL(request.url).hostname;
      if (host === '127.0.0.1' || host === 'localhost' || host === '[::1]') return;
      print.error();
    },
  });
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());
