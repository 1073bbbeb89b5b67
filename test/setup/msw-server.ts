/**
 * The one msw server for integration tests that exercise HTTP clients in-process. It has no
 * default handlers: each test declares what the origin does with `server.use(...)`.
 */
import { setupServer } from 'msw/node';

export const server = setupServer();
